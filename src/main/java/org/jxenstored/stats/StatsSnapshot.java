package org.jxenstored.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The daemon's statistics at one moment: taken on the store thread, immutable afterwards, so that any thread (JMX,
 * the Prometheus file's writer) may read it. Counts run from the start of the daemon; latencies are nanoseconds.
 *
 * @param version the daemon's version
 * @param startedAt when the daemon started
 * @param takenAt when this snapshot was taken
 * @param uptimeNanos time since the start
 * @param types per request type that was seen at least once (see {@link TypeRow}), in wire type order
 * @param requests requests served, all types
 * @param requestErrors of which answered with an error
 * @param domainRequests requests per domid (Dom0's socket connections count for domain 0), for domains not
 *     forgotten yet
 * @param outstandingReplies replies waiting for their clients to read them
 * @param queuedBytes bytes of replies and events waiting in the daemon's queues for their readers
 * @param queuedMessages replies and events waiting there
 * @param queuedEvents watch events among them
 * @param unreadBytes bytes handed to transports that the clients have not taken yet (response rings, socket buffers)
 * @param oldestWaitingNanos how long the oldest reply or event still waiting has waited (0: none waits)
 * @param events watch events sent, merged, dropped, expired, over the memory quota
 * @param quotaRefusals refusals per quota, by C's name ({@code memory-soft}: times the soft quota was exceeded)
 * @param throttled times a guest's next request had to wait for write credit
 * @param throttledNanos the time those waits were set to last
 * @param transactionsStarted transactions opened
 * @param transactionsOpen transactions open now
 * @param commits transactions committed
 * @param conflicts commits answered EAGAIN
 * @param aborts transactions ended without committing (TRANSACTION_END F)
 * @param liveUpdates live updates done (none: jxenstored has no live update yet)
 * @param restarts restarts that kept the store (none yet)
 * @param connections every connection, slowest reader first (see {@link ConnectionRow})
 */
public record StatsSnapshot(String version, Instant startedAt, Instant takenAt, long uptimeNanos, List<TypeRow> types,
        long requests, long requestErrors, SortedMap<Integer, Long> domainRequests, long outstandingReplies,
        long queuedBytes, long queuedMessages, long queuedEvents, long unreadBytes, long oldestWaitingNanos,
        Events events, Map<String, Long> quotaRefusals, long throttled, long throttledNanos, long transactionsStarted,
        long transactionsOpen, long commits, long conflicts, long aborts, long liveUpdates, long restarts,
        List<ConnectionRow> connections) {

    /**
     * One request type.
     *
     * @param name the type's name in lower case ({@code read}, {@code transaction_end}), or {@code other}
     * @param count requests
     * @param errors of which answered with an error
     * @param totalNanos the time all of them took
     * @param p50Nanos median latency
     * @param p99Nanos 99th percentile
     * @param maxNanos the longest
     */
    public record TypeRow(String name, long count, long errors, long totalNanos, long p50Nanos, long p99Nanos,
            long maxNanos) {
    }

    /** Watch events: handed to transports, merged into a waiting one, dropped (too many waiting), expired unsent,
     * dropped over the reader's memory quota. */
    public record Events(long sent, long merged, long dropped, long expired, long overQuota) {
    }

    /**
     * One connection.
     *
     * @param name as the access log names it: {@code A<n>} a socket, {@code D<domid>} a ring
     * @param domid its domain
     * @param transport {@code socket} or {@code ring}
     * @param watches watches it holds
     * @param transactions transactions it has open
     * @param queuedBytes bytes of its replies and events waiting in the daemon's queue
     * @param queuedEvents watch events among them
     * @param queuedReplies replies among them
     * @param unreadBytes bytes handed to its transport it has not taken yet
     * @param oldestWaitingNanos how long its oldest waiting reply or event has waited (0: none waits)
     * @param requests requests served since it connected
     * @param throttled times its next request waited for write credit
     * @param connectedNanos how long it has been connected
     * @param inputPaused whether its requests are not taken now
     * @param note what the transport adds (a ring error), or empty
     */
    public record ConnectionRow(String name, int domid, String transport, int watches, int transactions,
            long queuedBytes, int queuedEvents, int queuedReplies, long unreadBytes, long oldestWaitingNanos,
            long requests, long throttled, long connectedNanos, boolean inputPaused, String note) {
    }
}
