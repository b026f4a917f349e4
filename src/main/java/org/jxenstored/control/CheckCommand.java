package org.jxenstored.control;

import java.util.List;
import org.jxenstored.protocol.XsError;
import org.jxenstored.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code check}: every invariant of the daemon's state ({@link Server#check}: the tree, the watch index, the
 * connections' bookkeeping, each domain's accounting against a recount). Answers OK, or one line per problem, each
 * also logged once as an error.
 */
public final class CheckCommand implements ControlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(CheckCommand.class);

    private final Server server;

    public CheckCommand(Server server) {
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
            throw XsError.EINVAL.exception();
        }
        List<String> problems = server.check();
        if (problems.isEmpty()) {
            LOG.info("check: OK ({} connections, {} watches)", server.connections().size(),
                    server.watchIndex().size());
            return "OK";
        }
        for (String p : problems) {
            LOG.error("check: {}", p);
        }
        return String.join("\n", problems);
    }
}
