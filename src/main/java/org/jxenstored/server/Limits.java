package org.jxenstored.server;

/** Per-connection and per-domain bounds. Mutable: the daemon's configuration sets them at start-up. */
public final class Limits {
    /** The global value of each quota ({@link QuotaKind}), which a domain copies when the daemon first meets it. */
    private final int[] quotas = new int[QuotaKind.values().length];

    {
        for (QuotaKind q : QuotaKind.values()) {
            quotas[q.ordinal()] = q.defaultValue;
        }
    }

    /** The global value of {@code q}; 0 = no limit. */
    public int get(QuotaKind q) {
        return quotas[q.ordinal()];
    }

    /** Sets the global value of {@code q} (non-negative; 0 = no limit). */
    public void set(QuotaKind q, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(q.cName + " must not be negative: " + value);
        }
        quotas[q.ordinal()] = value;
    }

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

    /** Whether {@code used} has reached {@code limit} for this connection, honouring exemption and 0 = off. */
    public boolean reached(Connection c, int limit, int used) {
        if (limit == 0 || (privilegedExempt && c.privileged())) {
            return false;
        }
        return used >= limit;
    }
}
