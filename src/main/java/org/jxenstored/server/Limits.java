package org.jxenstored.server;

/** Per-connection and per-domain bounds. Mutable: the daemon's configuration sets them at start-up. */
public final class Limits {
    /**
     * Open transactions per connection (C's {@code transactions} quota, default 10, per domain in C: a guest has
     * one connection); 0 = unlimited.
     */
    public int transactionsPerConnection = 10;
    /** Watches per connection (C's {@code watches} quota, default 128, per domain in C); 0 = unlimited. */
    public int watchesPerConnection = 128;
    /** Unsent watch events older than this are dropped (C's {@code -w watch-event=}, default 20 s); 0 = never. */
    public long watchEventTimeoutMillis = 20_000;
    /** Watch events waiting for a slow reader, per connection; beyond this new events are dropped; 0 = no limit. */
    public int pendingEventsPerConnection = 1024;
    /** Changes per second an unprivileged domain may make before it is slowed down (XSA-206); 0 = no limit. */
    public int writeRatePerSecond = 200;
    /** Changes a domain may make in a burst above the rate. */
    public int writeBurst = 10;
    /** Whether privileged connections (Dom0, the socket) are exempt from quotas, as in C xenstored. */
    public boolean privilegedExempt = true;

    // C xenstored's other quotas (-E -S -A -M -Q/-q, XS_CONTROL quota set, SET_QUOTA): the global values, which
    // a domain copies when the daemon first meets it (QuotaPolicy).
    /** Nodes a domain may own (C {@code nodes}, {@code -E}); 0 = unlimited. */
    public int nodesPerDomain = 1000;
    /**
     * Largest node record: 16 bytes of header, 8 per permission entry, the value and the child names (C
     * {@code node-size}, {@code -S}); 0 = unlimited.
     */
    public int nodeSize = 2048;
    /** Paths below a domain's home must be shorter than this (C {@code path-max}, {@code -M}); 0 = unlimited. */
    public int pathMax = 2048;
    /** Permission entries per node (C {@code node-permissions}, {@code -A}); 0 = unlimited. */
    public int permsPerNode = 5;
    /** Outstanding requests per domain (C {@code outstanding}); 0 = unlimited. */
    public int outstandingPerDomain = 20;
    /** Nodes a transaction may access (C {@code transaction-nodes}); 0 = unlimited. */
    public int transactionNodes = 1024;
    /** Memory a domain may use in the store, in bytes (C {@code memory}, hard); 0 = unlimited. */
    public int memoryPerDomain = 2_621_440;
    /** Memory use above which a warning is logged (C {@code -q memory=}, soft); 0 = no warning. */
    public int memoryPerDomainSoft = 2_097_152;

    /** Whether {@code used} has reached {@code limit} for this connection, honouring exemption and 0 = off. */
    public boolean reached(Connection c, int limit, int used) {
        if (limit == 0 || (privilegedExempt && c.privileged())) {
            return false;
        }
        return used >= limit;
    }
}
