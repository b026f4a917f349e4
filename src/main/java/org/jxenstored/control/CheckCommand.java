package org.jxenstored.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jxenstored.logging.ConnectionNames;
import org.jxenstored.protocol.XsError;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.jxenstored.store.Transaction;
import org.jxenstored.watch.Watch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code check}: the server's tree and watch-index check (the command it registers itself), plus the connection
 * bookkeeping: no closed connection still registered, every watch owned by the connection that lists it, every open
 * transaction filed under its own id, and the per-domain accounting. Answers OK, or one line per problem (also logged as errors).
 *
 * <p>Also recounts the nodes and bytes every domain owns and compares them with the store's accounting (what the
 * quotas are checked against).
 */
public final class CheckCommand implements ControlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(CheckCommand.class);

    private final Server server;
    private final ControlCommand base;

    /** @param base the check the server registered (tree invariants, watch index), or null */
    public CheckCommand(Server server, ControlCommand base) {
        this.server = server;
        this.base = base;
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
        List<String> problems = new ArrayList<>();
        if (base != null) {
            String r = base.run(args);
            if (!"OK".equals(r)) {
                problems.addAll(List.of(r.split("\n")));
            }
        }
        problems.addAll(checkConnections());
        problems.addAll(checkAccounting());
        if (problems.isEmpty()) {
            return "OK";
        }
        for (String p : problems) {
            LOG.error("check: {}", p);
        }
        return String.join("\n", problems);
    }

    /** The per-domain accounting (nodes, bytes) against a recount of the live tree. */
    List<String> checkAccounting() {
        List<String> problems = new ArrayList<>();
        Map<Integer, long[]> kept = server.store().usage().snapshot();
        Map<Integer, long[]> counted = org.jxenstored.store.Usage.recount(server.store().live().root()).snapshot();
        TreeSet<Integer> domids = new TreeSet<>(kept.keySet());
        domids.addAll(counted.keySet());
        for (int d : domids) {
            long[] k = kept.getOrDefault(d, new long[2]);
            long[] c = counted.getOrDefault(d, new long[2]);
            if (k[0] != c[0] || k[1] != c[1]) {
                problems.add("domain " + d + ": accounted " + k[0] + " nodes / " + k[1] + " bytes, the tree holds "
                        + c[0] + " nodes / " + c[1] + " bytes");
            }
        }
        return problems;
    }

    List<String> checkConnections() {
        List<String> problems = new ArrayList<>();
        for (Connection c : server.connections()) {
            String name = ConnectionNames.of(c);
            if (c.isClosed()) {
                problems.add(name + ": closed but still registered");
            }
            for (Watch w : c.watches().all()) {
                if (w.owner() != c) {
                    problems.add(name + ": watch " + w.path() + " " + w.token() + " belongs to another connection");
                }
            }
            for (Map.Entry<Integer, Transaction> e : c.transactions().entrySet()) {
                if (e.getValue().id() != e.getKey()) {
                    problems.add(name + ": transaction " + e.getValue().id() + " filed as " + e.getKey());
                }
            }
        }
        return problems;
    }
}
