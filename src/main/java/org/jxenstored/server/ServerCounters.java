package org.jxenstored.server;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The server's counters for the statistics that are not per request type: transactions (started, committed,
 * conflicting, aborted), and what connections that have closed counted ({@link TrafficCount}, and requests per
 * domain), so that totals outlive their connections. A total is the closed connections' count here plus the open
 * connections' own ({@link Connection#count}). Store thread only: read it there (the statistics take snapshots on
 * the store thread).
 */
public final class ServerCounters {
    private final long[] closed = new long[TrafficCount.values().length];
    /** Requests of closed connections, by domid (a domain's entry goes when the domain is forgotten). */
    private final Map<Integer, long[]> closedRequests = new HashMap<>();
    long transactionsStarted;
    long commits;
    long conflicts;
    long aborts;

    /** Adds a closing connection's counts. */
    void retire(Connection c) {
        for (TrafficCount k : TrafficCount.values()) {
            closed[k.ordinal()] += c.count(k);
        }
        long requests = c.count(TrafficCount.REQUESTS);
        if (requests > 0) {
            closedRequests.computeIfAbsent(c.domid(), d -> new long[1])[0] += requests;
        }
    }

    /** Forgets a domain that is gone: its requests no longer show per domain (its id may be reused). */
    void forgetDomain(int domid) {
        closedRequests.remove(domid);
    }

    /** What the connections closed so far counted. */
    public long closed(TrafficCount k) {
        return closed[k.ordinal()];
    }

    /** The requests of closed connections, per domid (domains not forgotten yet). */
    public void forEachClosedDomain(BiConsumer<Integer, Long> action) {
        closedRequests.forEach((domid, n) -> action.accept(domid, n[0]));
    }

    /** TRANSACTION_START requests that opened a transaction. */
    public long transactionsStarted() {
        return transactionsStarted;
    }

    /** TRANSACTION_END T that committed. */
    public long commits() {
        return commits;
    }

    /** TRANSACTION_END T answered EAGAIN (a conflict, or the changes no longer apply): the client retries. */
    public long conflicts() {
        return conflicts;
    }

    /** TRANSACTION_END F. */
    public long aborts() {
        return aborts;
    }
}
