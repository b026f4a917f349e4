package org.jxenstored.server;

import java.util.List;
import org.jxenstored.control.ControlCommand;
import org.jxenstored.store.TreeChecker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code check}: verifies the tree and the watch bookkeeping; answers OK or lists what is wrong (also logged). */
final class CheckCommand implements ControlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(CheckCommand.class);
    private final Server server;

    CheckCommand(Server server) {
        this.server = server;
    }

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public String run(String[] args) {
        if (args.length != 0) {
            throw org.jxenstored.protocol.XsError.EINVAL.exception();
        }
        long[] nodes = new long[1];
        List<String> problems = TreeChecker.check(server.store().live().root(), server.store().stamps().last(), nodes);
        int watches = 0;
        for (Connection c : server.connections()) {
            watches += c.watches().size();
        }
        if (watches != server.watchIndex().size()) {
            problems.add("watch index holds " + server.watchIndex().size() + " watches, connections " + watches);
        }
        if (problems.isEmpty()) {
            LOG.info("check: OK ({} nodes, {} watches, {} connections)", nodes[0], watches,
                    server.connections().size());
            return "OK";
        }
        for (String p : problems) {
            LOG.error("check: {}", p);
        }
        return String.join("\n", problems);
    }
}
