package org.jxenstored.server;

/** Per-connection and per-domain bounds. Mutable: the daemon's configuration sets them at start-up. */
public final class Limits {
    /** Open transactions per connection (C's {@code transactions} quota, default 10); 0 = unlimited. */
    public int transactionsPerConnection = 10;
    /** Watches per connection (C's {@code watches} quota, default 128); 0 = unlimited. */
    public int watchesPerConnection = 128;
    /** Unsent watch events older than this are dropped (C's {@code -w watch-event=}, default 20 s); 0 = never. */
    public long watchEventTimeoutMillis = 20_000;
    /** Watch events waiting for a slow reader, per connection; beyond this new events are dropped; 0 = no limit. */
    public int pendingEventsPerConnection = 1024;
    /** Whether privileged connections (Dom0, the socket) are exempt from quotas, as in C xenstored. */
    public boolean privilegedExempt = true;

    /** Whether {@code used} has reached {@code limit} for this connection, honouring exemption and 0 = off. */
    public boolean reached(Connection c, int limit, int used) {
        if (limit == 0 || (privilegedExempt && c.privileged())) {
            return false;
        }
        return used >= limit;
    }
}
