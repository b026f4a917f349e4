package org.jxenstored.control;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;
import org.jxenstored.server.Limits;

/**
 * C xenstored's quota table (Xen 4.22): the names {@code -Q}, {@code -q}, {@code XS_CONTROL quota set}, GET_QUOTA and
 * SET_QUOTA use, mapped onto {@link Limits}, in C's order ({@code quota} and GET_QUOTA list them so). Values are
 * non-negative; 0 means unlimited. The node permissions quota is {@code node-permissions} (4.22's name); the spec's
 * {@code permissions} (docs/misc/xenstore.txt) and Xen 4.17's are accepted for it as input.
 */
public final class Quotas {
    /** One named quota. {@code enforced} tells whether this build acts on it yet. */
    public record Quota(String name, String description, boolean enforced, ToIntFunction<Limits> get,
            ObjIntConsumer<Limits> set) {
    }

    /** Names accepted on input for another quota's. */
    private static final Map<String, String> ALIASES = Map.of("permissions", "node-permissions");

    /** The hard quotas in C 4.22's order ({@code enum accitem}). */
    public static final List<Quota> HARD = List.of(
            new Quota("nodes", "Nodes per domain", true, l -> l.nodesPerDomain, (l, v) -> l.nodesPerDomain = v),
            new Quota("watches", "Watches per domain", true, l -> l.watchesPerConnection,
                    (l, v) -> l.watchesPerConnection = v),
            new Quota("outstanding", "Outstanding requests per domain", true, l -> l.outstandingPerDomain,
                    (l, v) -> l.outstandingPerDomain = v),
            new Quota("memory", "Total Xenstore memory per domain", true, l -> l.memoryPerDomain,
                    (l, v) -> l.memoryPerDomain = v),
            new Quota("transactions", "Active transactions per domain", true, l -> l.transactionsPerConnection,
                    (l, v) -> l.transactionsPerConnection = v),
            new Quota("transaction-nodes", "Max. number of accessed nodes per transaction", true,
                    l -> l.transactionNodes, (l, v) -> l.transactionNodes = v),
            new Quota("node-permissions", "Max. number of permissions per node", true, l -> l.permsPerNode,
                    (l, v) -> l.permsPerNode = v),
            new Quota("path-max", "Max. length of a node path", true, l -> l.pathMax, (l, v) -> l.pathMax = v),
            new Quota("node-size", "Max. size of a node", true, l -> l.nodeSize, (l, v) -> l.nodeSize = v));

    /** The soft quotas (a warning when exceeded), with the same descriptions as C 4.22 gives them. */
    public static final List<Quota> SOFT = List.of(
            new Quota("memory", "Total Xenstore memory per domain", true, l -> l.memoryPerDomainSoft,
                    (l, v) -> l.memoryPerDomainSoft = v));

    private Quotas() {
    }

    /** The quota {@code name} (or an alias of it) names in {@code table}. */
    public static Optional<Quota> find(List<Quota> table, String name) {
        String canonical = ALIASES.getOrDefault(name, name);
        return table.stream().filter(q -> q.name.equals(canonical)).findFirst();
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
