package org.jxenstored.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jxenstored.logging.ConnectionNames;
import org.jxenstored.server.Connection;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.Server;
import org.jxenstored.server.ServerCounters;
import org.jxenstored.server.TrafficCount;
import org.jxenstored.server.TransportState;

/**
 * The daemon's statistics (ZooKeeper's {@code mntr} and {@code cons} are the model): the per-type request
 * recorder the server feeds ({@link #recorder()}), and snapshots of everything for {@code xenstore-control stats}
 * and {@code connections}, the JMX MBeans and the Prometheus file.
 *
 * <p>Threads: the recorder and {@link #snapshot()} run on the store thread, where all the figures live, without
 * locks. Other threads call {@link #recent}: it has a snapshot taken on the store thread (or reuses one young
 * enough) and gets an immutable object back; a store thread that does not answer in time gives the last snapshot
 * taken instead, never a half-updated one.
 */
public final class DaemonStats {
    /** How long {@link #recent} waits for the store thread before it settles for the last snapshot. */
    private static final long WAIT_MILLIS = 2000;

    private final Server server;
    private final String version;
    private final Executor storeThread;
    private final RequestTypes types = new RequestTypes();
    private final long startedNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private volatile StatsSnapshot last;
    private volatile long lastNanos;

    /**
     * @param server the server whose figures these are
     * @param version the daemon's version, for the reports
     * @param storeThread runs tasks on the store thread (snapshots for other threads are taken there)
     */
    public DaemonStats(Server server, String version, Executor storeThread) {
        this.server = server;
        this.version = version;
        this.storeThread = storeThread;
    }

    /** What the server feeds every request into ({@link Server#setRequestStats}). */
    public org.jxenstored.server.RequestStats recorder() {
        return types;
    }

    RequestTypes types() {
        return types;
    }

    /** Bytes the latency histograms take. */
    public long histogramBytes() {
        return types.footprintBytes();
    }

    /**
     * A snapshot taken by another thread: the last one if it is at most {@code maxAgeMillis} old, else a new one
     * taken on the store thread; if the store thread does not answer within 2 s (or has stopped), the last one (or,
     * before any, an empty one).
     */
    public StatsSnapshot recent(long maxAgeMillis) {
        StatsSnapshot s = last;
        if (s != null && System.nanoTime() - lastNanos <= TimeUnit.MILLISECONDS.toNanos(maxAgeMillis)) {
            return s;
        }
        CompletableFuture<StatsSnapshot> f = new CompletableFuture<>();
        try {
            storeThread.execute(() -> {
                try {
                    f.complete(snapshot());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            return f.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            s = last;
            return s != null ? s : empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s = last;
            return s != null ? s : empty();
        }
    }

    /** Everything now. Store thread only. */
    public StatsSnapshot snapshot() {
        long now = System.nanoTime();
        List<StatsSnapshot.TypeRow> rows = new ArrayList<>();
        long requests = 0;
        long errors = 0;
        for (int i = 0; i < types.slots(); i++) {
            StatsSnapshot.TypeRow r = types.row(i);
            requests += r.count();
            errors += r.errors();
            if (r.count() > 0) {
                rows.add(r);
            }
        }
        ServerCounters counters = server.counters();
        SortedMap<Integer, Long> byDomain = new TreeMap<>();
        counters.forEachClosedDomain((d, n) -> byDomain.merge(d, n, Long::sum));
        long[] totals = new long[TrafficCount.values().length];
        for (TrafficCount k : TrafficCount.values()) {
            totals[k.ordinal()] = counters.closed(k);
        }
        long outstanding = 0;
        long queuedBytes = 0;
        long queuedMessages = 0;
        long queuedEvents = 0;
        long unread = 0;
        long oldest = 0;
        long open = 0;
        List<StatsSnapshot.ConnectionRow> conns = new ArrayList<>();
        for (Connection c : server.connections()) {
            for (TrafficCount k : TrafficCount.values()) {
                totals[k.ordinal()] += c.count(k);
            }
            long served = c.count(TrafficCount.REQUESTS);
            byDomain.merge(c.domid(), served, Long::sum);
            TransportState t = c.transportState();
            int waiting = c.waitingCount();
            int events = c.waitingEventCount();
            long age = c.oldestWaitingNanos();
            outstanding += waiting - events;
            queuedBytes += c.waitingBytes();
            queuedMessages += waiting;
            queuedEvents += events;
            unread += t.outputPending();
            oldest = Math.max(oldest, age);
            open += c.transactions().size();
            conns.add(new StatsSnapshot.ConnectionRow(ConnectionNames.of(c), c.domid(), c.transport(),
                    c.watches().size(), c.transactions().size(), c.waitingBytes(), events, waiting - events,
                    t.outputPending(), age, served, c.count(TrafficCount.THROTTLED), c.connectedForNanos(),
                    t.inputPaused(), t.note()));
        }
        conns.sort(SLOWEST_READER_FIRST);
        Map<String, Long> refusals = new LinkedHashMap<>();
        for (QuotaKind q : QuotaKind.values()) {
            refusals.put(q.soft() ? q.cName + "-soft" : q.cName, server.quotas().refusals(q));
        }
        StatsSnapshot s = new StatsSnapshot(version, startedAt, Instant.now(), now - startedNanos,
                Collections.unmodifiableList(rows), requests, errors, Collections.unmodifiableSortedMap(byDomain),
                outstanding, queuedBytes, queuedMessages, queuedEvents, unread, oldest,
                new StatsSnapshot.Events(totals[TrafficCount.EVENTS_SENT.ordinal()],
                        totals[TrafficCount.EVENTS_MERGED.ordinal()], totals[TrafficCount.EVENTS_DROPPED.ordinal()],
                        totals[TrafficCount.EVENTS_EXPIRED.ordinal()],
                        totals[TrafficCount.EVENTS_OVER_QUOTA.ordinal()]),
                Collections.unmodifiableMap(refusals), totals[TrafficCount.THROTTLED.ordinal()],
                totals[TrafficCount.THROTTLED_NANOS.ordinal()], counters.transactionsStarted(), open,
                counters.commits(), counters.conflicts(), counters.aborts(), 0, 0,
                Collections.unmodifiableList(conns));
        last = s;
        lastNanos = now;
        return s;
    }

    /**
     * Slowest reader first: the connection whose oldest waiting reply or event has waited longest, then the one
     * with the most bytes it has not taken (queued and unread), then the oldest connection.
     */
    static final Comparator<StatsSnapshot.ConnectionRow> SLOWEST_READER_FIRST =
            Comparator.comparingLong(StatsSnapshot.ConnectionRow::oldestWaitingNanos).reversed()
                    .thenComparing(Comparator.comparingLong(
                            (StatsSnapshot.ConnectionRow r) -> r.queuedBytes() + r.unreadBytes()).reversed())
                    .thenComparing(Comparator.comparingLong(StatsSnapshot.ConnectionRow::connectedNanos).reversed());

    private StatsSnapshot empty() {
        Map<String, Long> refusals = new LinkedHashMap<>();
        for (QuotaKind q : QuotaKind.values()) {
            refusals.put(q.soft() ? q.cName + "-soft" : q.cName, 0L);
        }
        return new StatsSnapshot(version, startedAt, Instant.now(), System.nanoTime() - startedNanos, List.of(), 0,
                0, Collections.emptySortedMap(), 0, 0, 0, 0, 0, 0, new StatsSnapshot.Events(0, 0, 0, 0, 0),
                Collections.unmodifiableMap(refusals), 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
    }
}
