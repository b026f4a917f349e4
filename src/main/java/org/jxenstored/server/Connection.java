package org.jxenstored.server;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.store.Transaction;
import org.jxenstored.watch.Watcher;

/**
 * One client of the daemon, whatever carries its bytes: who it is (domain, privilege, target), what it holds (its
 * {@link ConnectionWatches}, its open transactions, its {@link Outbox}), and the transport's template methods.
 * Watches and transactions are added and removed through the server ({@link WatchRegistry},
 * {@link OpenTransactions}), which keeps the indexes and the memory accounting in step. Store thread only.
 */
public abstract class Connection implements Watcher {
    private static int lastId;

    private final int id = ++lastId;
    private final int domid;
    private final boolean privileged;
    private int target = NO_TARGET;
    private final Server server;
    private final ConnectionWatches watches = new ConnectionWatches();
    private final Map<Integer, Transaction> transactions = new HashMap<>();
    private final Map<Integer, Transaction> transactionsView = Collections.unmodifiableMap(transactions);
    private int lastTransactionId;
    /** When the oldest of the open transactions started ({@link #nanoTime()} scale; C's {@code ta_start_time}). */
    private long transactionsSinceNanos;
    private final Outbox outbox;
    private boolean closed;
    /** When the server started serving it ({@link #nanoTime()} scale). */
    private long connectedNanos;
    private long requests;
    private long eventsSent;
    private long throttled;
    private long throttledNanos;

    protected Connection(int domid, boolean privileged, Server server) {
        this.domid = domid;
        this.privileged = privileged;
        this.server = server;
        this.outbox = new Outbox(this, server);
    }

    /** Monotonic time in nanoseconds; tests may override. */
    protected long nanoTime() {
        return System.nanoTime();
    }

    /** Whether the transport takes more output now (the socket is below its high-water mark, the ring has room). */
    protected abstract boolean transportWritable();

    /** Hands a message to the transport; it goes out at the next {@link #flush()}. */
    protected abstract void transportWrite(XsMessage m);

    /** Pushes what the transport holds out. */
    public abstract void flush();

    /** A short description for logs: transport and peer. */
    public abstract String describe();

    /** Stops serving this connection at the transport level (the socket is closed, the ring ignored). */
    protected abstract void closeTransport();

    /** What the transport holds now (for the operator's view); store thread only. */
    public TransportState transportState() {
        return TransportState.NONE;
    }

    /** What carries this connection's bytes: "socket", "ring" (the transports say), else "other". */
    public String transport() {
        return "other";
    }

    public final int id() {
        return id;
    }

    @Override
    public final int domid() {
        return domid;
    }

    @Override
    public final boolean privileged() {
        return privileged;
    }

    @Override
    public final int target() {
        return target;
    }

    public final void setTarget(int target) {
        this.target = target;
    }

    public final boolean isClosed() {
        return closed;
    }

    /**
     * Sends a reply or event: straight to the transport when it can take it and nothing is waiting, else into the
     * {@link Outbox} until {@link #drain()}.
     */
    public final void send(XsMessage m) {
        if (closed) {
            return;
        }
        if (outbox.isEmpty() && transportWritable()) {
            write(m);
        } else {
            outbox.offer(m, nanoTime());
        }
    }

    /** Moves waiting output to the transport while it has room; the transport calls this when it drains. */
    public final void drain() {
        long timeout = server.limits().watchEventTimeoutMillis * 1_000_000L;
        while (!outbox.isEmpty() && transportWritable()) {
            XsMessage m = outbox.poll(nanoTime(), timeout);
            if (m == null) {
                break;
            }
            write(m);
        }
        outbox.charge();
        flush();
    }

    private void write(XsMessage m) {
        if (m.type == XsType.WATCH_EVENT.code) {
            eventsSent++;
        }
        transportWrite(m);
    }

    /** Every reply and event waiting for the transport, oldest first (what a restart must still deliver). */
    public final void forEachWaiting(java.util.function.Consumer<XsMessage> action) {
        outbox.forEach(action);
    }

    /** Forgets output waiting for the transport (reconnection). */
    final void discardWaiting() {
        outbox.clear();
    }

    /** Messages waiting for the transport (replies and events). */
    public final int waitingCount() {
        return outbox.size();
    }

    /** Watch events among {@link #waitingCount()}. */
    public final int waitingEventCount() {
        return outbox.eventCount();
    }

    /**
     * How long the oldest reply or event still waiting for the transport has waited, in nanoseconds; 0 when
     * nothing waits.
     */
    public final long oldestWaitingNanos() {
        long since = outbox.oldestEnqueuedNanos();
        return outbox.isEmpty() ? 0 : Math.max(0, nanoTime() - since);
    }

    /** The payloads of the watch events waiting ({@code path NUL token NUL}), oldest first: a copy. */
    public final List<byte[]> waitingEventPayloads() {
        return outbox.waitingEventPayloads();
    }

    /** How long ago the server started serving this connection, in nanoseconds. */
    public final long connectedForNanos() {
        return Math.max(0, nanoTime() - connectedNanos);
    }

    final void markConnected() {
        connectedNanos = nanoTime();
    }

    /** Counts a request served (the request handler calls this for every request). */
    final void countRequest() {
        requests++;
    }

    /** The transport made the next request wait {@code nanos} for write credit (XSA-206). */
    public final void noteThrottled(long nanos) {
        throttled++;
        throttledNanos += nanos;
    }

    /** What this connection counted since it was opened (see {@link TrafficCount}). */
    public final long count(TrafficCount k) {
        switch (k) {
            case REQUESTS:
                return requests;
            case EVENTS_SENT:
                return eventsSent;
            case EVENTS_MERGED:
                return outbox.merged();
            case EVENTS_DROPPED:
                return outbox.dropped();
            case EVENTS_EXPIRED:
                return outbox.expired();
            case EVENTS_OVER_QUOTA:
                return outbox.refusedOverQuota();
            case THROTTLED:
                return throttled;
            case THROTTLED_NANOS:
                return throttledNanos;
            default:
                throw new IllegalArgumentException(k.name());
        }
    }

    /** Bytes of replies and events waiting for the transport. */
    public final long waitingBytes() {
        return outbox.bytes();
    }

    /**
     * Watch events merged into an identical waiting one, dropped over the count limit, expired unsent, and dropped
     * over the domain's memory quota.
     */
    public final long[] eventLossCounters() {
        return outbox.lossCounters();
    }

    @Override
    public final void sendEvent(byte[] payload) {
        server.observer().event(this, payload);
        send(new XsMessage(XsType.WATCH_EVENT.code, 0, 0, payload));
    }

    /** The connection's watches (read through it; changed through {@link WatchRegistry}). */
    public final ConnectionWatches watches() {
        return watches;
    }

    /** The open transactions by id (read-only: they are opened and ended through {@link OpenTransactions}). */
    public final Map<Integer, Transaction> transactions() {
        return transactionsView;
    }

    /** A fresh transaction id: per connection, counting from 1 as C does, never 0 nor one still open. */
    /** Whether this connection outlives the daemon's process (a domain's ring), so that its state is kept. */
    public boolean survivesRestart() {
        return false;
    }

    /** Ids are not reused: a restored transaction's id counts as handed out. */
    final void noteRestoredTransactionId(int id) {
        if (Integer.compareUnsigned(id, lastTransactionId) > 0) {
            lastTransactionId = id;
        }
    }

    final int nextTransactionId() {
        do {
            lastTransactionId++;
        } while (lastTransactionId == 0 || transactions.containsKey(lastTransactionId));
        return lastTransactionId;
    }

    final void putTransaction(Transaction tx) {
        if (transactions.isEmpty()) {
            transactionsSinceNanos = nanoTime();
        }
        transactions.put(tx.id(), tx);
    }

    final boolean removeTransaction(Transaction tx) {
        return transactions.remove(tx.id(), tx);
    }

    /**
     * How long this connection has had transactions open without a break, in nanoseconds (C's
     * {@code ta_start_time}: a live update waits for it); 0 when none is open.
     */
    public final long transactionsOpenForNanos() {
        return transactions.isEmpty() ? 0 : Math.max(0, nanoTime() - transactionsSinceNanos);
    }

    /**
     * The file descriptor carrying this connection, which a live update hands to its successor; -1 when the
     * transport has none to hand over (rings are mapped again by the successor).
     */
    /**
     * What the transport holds of this connection's traffic beyond the server's view, for a live update: the bytes
     * it read that are not yet a whole request, and the bytes of replies and events it has not written yet (the
     * first may be the rest of a message partly written). Empty by default.
     */
    public TransportBytes transportBytes() {
        return TransportBytes.NONE;
    }

    /**
     * What the transport holds of a connection's traffic: {@code in}, bytes read that are not yet a whole request;
     * {@code out}, bytes not written yet, of which the first {@code outPartial} finish a message partly written.
     */
    public record TransportBytes(byte[] in, byte[] out, int outPartial) {
        public static final TransportBytes NONE = new TransportBytes(new byte[0], new byte[0], 0);
    }

    public int inheritableFd() {
        return -1;
    }

    /** Marks the connection closed; the caller releases its watches and transactions. Idempotent. */
    final boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        outbox.clear();
        return true;
    }

    /** Ends this connection: transport closed, watches and transactions released. Idempotent. */
    public final void close() {
        server.disconnect(this);
        closeTransport();
    }

    @Override
    public String toString() {
        return "conn#" + id + "(" + describe() + ")";
    }
}
