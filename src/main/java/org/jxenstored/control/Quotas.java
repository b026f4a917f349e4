package org.jxenstored.control;

import java.util.List;
import java.util.Optional;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;
import org.jxenstored.server.Limits;

/**
 * C xenstored's quota table: the names {@code -Q}, {@code -q} and {@code XS_CONTROL quota set} use, mapped onto
 * {@link Limits}. Values are non-negative; 0 means unlimited.
 */
public final class Quotas {
    /** One named quota. {@code enforced} tells whether this build acts on it yet. */
    public record Quota(String name, String description, boolean enforced, ToIntFunction<Limits> get,
            ObjIntConsumer<Limits> set) {
    }

    /** The hard quotas in C's order ({@code quota} lists them so). */
    public static final List<Quota> HARD = List.of(
            new Quota("nodes", "Nodes per domain", true, l -> l.nodesPerDomain, (l, v) -> l.nodesPerDomain = v),
            new Quota("watches", "Watches per connection", true, l -> l.watchesPerConnection,
                    (l, v) -> l.watchesPerConnection = v),
            new Quota("transactions", "Transactions per connection", true, l -> l.transactionsPerConnection,
                    (l, v) -> l.transactionsPerConnection = v),
            new Quota("outstanding", "Outstanding requests per domain", true, l -> l.outstandingPerDomain,
                    (l, v) -> l.outstandingPerDomain = v),
            new Quota("transaction-nodes", "Max. number of accessed nodes per transaction", true,
                    l -> l.transactionNodes, (l, v) -> l.transactionNodes = v),
            new Quota("memory", "Total Xenstore memory per domain (error level)", true, l -> l.memoryPerDomain,
                    (l, v) -> l.memoryPerDomain = v),
            new Quota("node-size", "Max. size of a node", true, l -> l.nodeSize, (l, v) -> l.nodeSize = v),
            new Quota("path-max", "Max. length of a node path", true, l -> l.pathMax, (l, v) -> l.pathMax = v),
            new Quota("permissions", "Max. number of permissions per node", true, l -> l.permsPerNode,
                    (l, v) -> l.permsPerNode = v));

    /** The soft quotas (a warning when exceeded). */
    public static final List<Quota> SOFT = List.of(
            new Quota("memory", "Total Xenstore memory per domain (warning level)", true,
                    l -> l.memoryPerDomainSoft, (l, v) -> l.memoryPerDomainSoft = v));

    private Quotas() {
    }

    public static Optional<Quota> find(List<Quota> table, String name) {
        return table.stream().filter(q -> q.name.equals(name)).findFirst();
    }

    /** The names, for messages. */
    public static String names(List<Quota> table) {
        StringBuilder sb = new StringBuilder();
        for (Quota q : table) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(q.name);
        }
        return sb.toString();
    }

    /** C's quota listing: {@code Quota settings:} then one {@code name : value description} line per quota. */
    public static String describe(List<Quota> table, Limits limits) {
        StringBuilder sb = new StringBuilder("Quota settings:\n");
        for (Quota q : table) {
            sb.append(String.format("%-17s: %8d %s%s\n", q.name, q.get.applyAsInt(limits), q.description,
                    q.enforced ? "" : " (not enforced yet)"));
        }
        return sb.toString();
    }
}
