package org.jxenstored.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jxenstored.store.Transaction;
import org.jxenstored.store.TreeChecker;
import org.jxenstored.store.Usage;
import org.jxenstored.watch.Watch;

/**
 * The daemon's invariants, checked on demand ({@code xenstore-control check}, the tests): the tree's shape and
 * generations, the watch index against the connections, every connection's own bookkeeping, and each domain's
 * accounting (nodes and bytes, held memory, watches and transactions) against a recount. Store thread only.
 */
final class InvariantCheck {
    private InvariantCheck() {
    }

    /** What is wrong, one line each; empty when all holds. */
    static List<String> problems(Server server) {
        long[] nodes = new long[1];
        List<String> problems = TreeChecker.check(server.store().live().root(), server.store().stamps().last(), nodes);
        int watches = 0;
        for (Connection c : server.connections()) {
            watches += c.watches().size();
        }
        if (watches != server.watchIndex().size()) {
            problems.add("watch index holds " + server.watchIndex().size() + " watches, connections " + watches);
        }
        problems.addAll(connectionProblems(server));
        problems.addAll(usageProblems(server));
        problems.addAll(heldMemoryProblems(server));
        problems.addAll(accountProblems(server));
        return problems;
    }

    /** No closed connection still registered, every watch owned by its connection, transactions filed by id. */
    static List<String> connectionProblems(Server server) {
        List<String> problems = new ArrayList<>();
        for (Connection c : server.connections()) {
            if (c.isClosed()) {
                problems.add(c + ": closed but still registered");
            }
            for (Watch w : c.watches().all()) {
                if (w.owner() != c) {
                    problems.add(c + ": watch " + w.path() + " " + w.token() + " belongs to another connection");
                }
            }
            for (Map.Entry<Integer, Transaction> e : c.transactions().entrySet()) {
                if (e.getValue().id() != e.getKey()) {
                    problems.add(c + ": transaction " + e.getValue().id() + " filed as " + e.getKey());
                }
            }
        }
        return problems;
    }

    /** The per-domain accounting of the live tree (nodes, bytes: what quotas are checked against) vs a recount. */
    static List<String> usageProblems(Server server) {
        List<String> problems = new ArrayList<>();
        Map<Integer, long[]> kept = server.store().usage().snapshot();
        Map<Integer, long[]> counted = Usage.recount(server.store().live().root()).snapshot();
        Set<Integer> domids = new TreeSet<>(kept.keySet());
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
