package org.jxenstored.server;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jxenstored.store.Paths;

/**
 * Every quota, one row each: the one place their names, defaults and spellings live. The command line (C's
 * {@code -E -S -W -t -A -M}, {@code -Q}/{@code -q}), the configuration file (oxenstored's keys), {@code XS_CONTROL
 * quota}, GET/SET_QUOTA, the per-domain accounts of {@link QuotaPolicy} and the table in docs/operations.md are all
 * derived from it. Adding a quota is a row here plus its enforcement (see CONTRIBUTING.md).
 *
 * <p>The hard quotas come first in C xenstored 4.22's order ({@code enum accitem}): {@code quota} lists them so, and
 * their ordinal indexes the accounting items of {@link QuotaPolicy}. Values are non-negative; 0 means no limit.
 */
public enum QuotaKind {
    NODES("nodes", "Nodes per domain", "domain", 1000, "-E", "quota-maxentity"),
    WATCHES("watches", "Watches per domain", "connection", 128, "-W", "quota-maxwatch"),
    OUTSTANDING("outstanding", "Outstanding requests per domain", "domain", 20, null, "quota-maxoutstanding"),
    MEMORY("memory", "Total Xenstore memory per domain", "domain", 2_621_440, null, "quota-memory"),
    TRANSACTIONS("transactions", "Active transactions per domain", "connection", 10, "-t", "quota-transaction"),
    TRANSACTION_NODES("transaction-nodes", "Max. number of accessed nodes per transaction", "transaction", 1024, null,
            "quota-transaction-nodes", "quota-maxrequests", null),
    NODE_PERMISSIONS("node-permissions", "Max. number of permissions per node", "node", 5, "-A", "quota-permissions",
            null, "permissions"),
    PATH_MAX("path-max", "Max. length of a node path", "domain", 2048, "-M", "quota-path-max"),
    NODE_SIZE("node-size", "Max. size of a node", "node", 2048, "-S", "quota-maxsize"),
    /** The soft memory quota: a warning when exceeded ({@code -q memory=}, GET_QUOTA {@code soft-memory}). */
    SOFT_MEMORY("memory", "Total Xenstore memory per domain", "domain", 2_097_152, null, "quota-memory-soft");

    /** The hard quotas, in C's order. */
    public static final List<QuotaKind> HARD = List.of(NODES, WATCHES, OUTSTANDING, MEMORY, TRANSACTIONS,
            TRANSACTION_NODES, NODE_PERMISSIONS, PATH_MAX, NODE_SIZE);
    /** The soft quotas (C has one). */
    public static final List<QuotaKind> SOFT = List.of(SOFT_MEMORY);
    /** How GET/SET_QUOTA name a soft value. */
    public static final String SOFT_PREFIX = "soft-";

    /** C 4.22's name ({@code quota}, {@code -Q}, GET/SET_QUOTA). */
    public final String cName;
    /** C 4.22's description in {@code quota}'s listing. */
    public final String description;
    /** What one value bounds: each domain, connection, transaction or node. */
    public final String scope;
    public final int defaultValue;
    /** C xenstored's own command-line option for it, or null (then only {@code -Q name=N}). */
    public final String cOption;
    /** The oxenstored.conf key. */
    public final String confKey;
    /** Another key accepted in the configuration file for it, or null. */
    public final String confAlias;
    /** Another name accepted on input (the spec's, or Xen 4.17's), or null. */
    public final String alias;

    QuotaKind(String cName, String description, String scope, int defaultValue, String cOption, String confKey) {
        this(cName, description, scope, defaultValue, cOption, confKey, null, null);
    }

    QuotaKind(String cName, String description, String scope, int defaultValue, String cOption, String confKey,
            String confAlias, String alias) {
        this.cName = cName;
        this.description = description;
        this.scope = scope;
        this.defaultValue = defaultValue;
        this.cOption = cOption;
        this.confKey = confKey;
        this.confAlias = confAlias;
        this.alias = alias;
    }

    public boolean soft() {
        return this == SOFT_MEMORY;
    }

    /** The hard quota whose accounting item this is (itself, or the hard one a soft quota warns about). */
    public QuotaKind item() {
        return this == SOFT_MEMORY ? MEMORY : this;
    }

    /**
     * {@code value} as the command line and the configuration file take it: a path-max above what a path may be
     * ({@code XENSTORE_REL_PATH_MAX}) is that, as C's {@code -M} takes it.
     */
    public int bounded(int value) {
        return this == PATH_MAX ? Math.min(value, Paths.REL_PATH_MAX) : value;
    }

    /** The name GET/SET_QUOTA use: C's, with {@code soft-} for a soft quota. */
    public String wireName() {
        return soft() ? SOFT_PREFIX + cName : cName;
    }

    /** The hard quota {@code name} (C's name or the alias) names. */
    public static Optional<QuotaKind> hard(String name) {
        return find(HARD, name);
    }

    /** The soft quota {@code name} names ({@code memory}: the soft memory quota). */
    public static Optional<QuotaKind> soft(String name) {
        return find(SOFT, name);
    }

    /** A quota by its GET/SET_QUOTA name: a hard one, or a soft one with {@code soft-} in front. */
    public static Optional<QuotaKind> byWireName(String name) {
        return name.startsWith(SOFT_PREFIX) ? soft(name.substring(SOFT_PREFIX.length())) : hard(name);
    }

    private static Optional<QuotaKind> find(List<QuotaKind> table, String name) {
        for (QuotaKind q : table) {
            if (q.cName.equals(name) || name.equals(q.alias)) {
                return Optional.of(q);
            }
        }
        return Optional.empty();
    }

    /** The names of a table, for messages. */
    public static String names(List<QuotaKind> table) {
        StringBuilder sb = new StringBuilder();
        for (QuotaKind q : table) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(q.cName);
        }
        return sb.toString();
    }

    /** C's listing ({@code quota}, {@code quota-soft}): {@code Quota settings:}, then name, value, description. */
    public static String describe(List<QuotaKind> table, Limits limits) {
        StringBuilder sb = new StringBuilder("Quota settings:\n");
        for (QuotaKind q : table) {
            sb.append(String.format(Locale.ROOT, "%-17s: %8d %s\n", q.cName, limits.get(q), q.description));
        }
        return sb.toString();
    }
}
