package org.jxenstored.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jxenstored.control.ControlCommand;
import org.jxenstored.store.Transaction;
import org.jxenstored.store.TreeChecker;
import org.jxenstored.watch.Watch;
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
        problems.addAll(heldMemoryProblems(server));
        problems.addAll(accountProblems(server));
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

    /** Where a domain's count of watches or transactions differs from a recount from its connections. */
    static List<String> accountProblems(Server server) {
        List<String> problems = new ArrayList<>();
        Map<Integer, int[]> counted = new HashMap<>();
        for (Connection c : server.connections()) {
            int[] n = counted.computeIfAbsent(c.domid(), d -> new int[2]);
            n[0] += c.watches().size();
            n[1] += c.transactions().size();
        }
        server.quotas().forEachAccount((domid, a) -> {
            int[] n = counted.remove(domid);
            int watches = n == null ? 0 : n[0];
            int transactions = n == null ? 0 : n[1];
            if (a.watches() != watches || a.transactions() != transactions) {
                problems.add("domain " + domid + " accounts " + a.watches() + " watches and " + a.transactions()
                        + " transactions, its connections hold " + watches + " and " + transactions);
            }
        });
        counted.forEach((domid, n) -> {
            if (n[0] != 0 || n[1] != 0) {
                problems.add("domain " + domid + " holds " + n[0] + " watches and " + n[1]
                        + " transactions but is not accounted");
            }
        });
        return problems;
    }

    /** Where the held-memory accounting differs from a recount from the connections. */
    static List<String> heldMemoryProblems(Server server) {
        List<String> problems = new ArrayList<>();
        HeldMemory recount = new HeldMemory();
        for (Connection c : server.connections()) {
            for (Watch w : c.watches().all()) {
                recount.add(c.domid(), HeldMemory.Kind.WATCHES, WatchRegistry.heldBytes(w.path(), w.token()));
            }
            recount.add(c.domid(), HeldMemory.Kind.OUTPUT, c.waitingBytes());
            for (Transaction tx : c.transactions().values()) {
                recount.add(c.domid(), HeldMemory.Kind.TRANSACTIONS, tx.heldBytes());
            }
        }
        Map<Integer, long[]> kept = server.quotas().held().snapshot();
        Map<Integer, long[]> counted = recount.snapshot();
        Set<Integer> domids = new TreeSet<>(kept.keySet());
        domids.addAll(counted.keySet());
        for (int d : domids) {
            long[] k = kept.getOrDefault(d, new long[HeldMemory.Kind.values().length]);
            long[] r = counted.getOrDefault(d, new long[HeldMemory.Kind.values().length]);
            if (!Arrays.equals(k, r)) {
                problems.add("domain " + d + " held memory accounted " + Arrays.toString(k) + ", recounted "
                        + Arrays.toString(r) + " (watches, output, transactions)");
            }
        }
        return problems;
    }
}
