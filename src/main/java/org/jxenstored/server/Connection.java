package org.jxenstored.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.store.Mutation;
import org.jxenstored.store.Store;
import org.jxenstored.store.Transaction;
import org.jxenstored.watch.Watch;
import org.jxenstored.watch.Watcher;

/**
 * One client of the daemon, whatever carries its bytes: its identity, its watches and open transactions, and the
 * way out for its replies and events. Store thread only.
 */
public abstract class Connection implements Watcher {
    private static int lastId;

    private final int id = ++lastId;
    private final int domid;
    private final boolean privileged;
    private int target = NO_TARGET;
    private final Map<Integer, Transaction> transactions = new HashMap<>();
    private final Map<Integer, Transaction> transactionsView = Collections.unmodifiableMap(transactions);
    private final List<Watch> watches = new ArrayList<>();
    private boolean closed;
    private int lastTransactionId;
    private final Limits limits;
    private final OutputQueue waiting = new OutputQueue();
    /** Bytes of {@link #waiting} charged to this domain's held memory. */
    private long chargedOutput;
    /** Watch events dropped because waiting for them would exceed the domain's memory quota. */
    private long refusedOverQuota;
    private Server server;

    protected Connection(int domid, boolean privileged, Limits limits) {
        this.domid = domid;
        this.privileged = privileged;
        this.limits = limits;
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
     * bounded {@link OutputQueue} until {@link #drain()}.
     */
    public final void send(XsMessage m) {
        if (closed) {
            return;
        }
        if (waiting.isEmpty() && transportWritable()) {
            transportWrite(m);
            return;
        }
        if (m.type == XsType.WATCH_EVENT.code && !mayWait(m)) {
            refusedOverQuota++;
            return;
        }
        waiting.add(m, nanoTime(), limits.pendingEventsPerConnection);
        chargeOutput();
        if (server != null) {
            server.quotas().note(domid, QuotaPolicy.OUTSTANDING, waiting.size());
        }
    }

    /** Whether a watch event may wait for this reader: merged ones cost nothing, others count against the quota. */
    private boolean mayWait(XsMessage event) {
        if (server == null || waiting.hasEvent(event.payload) || !server.quotas().applies(this)) {
            return true;
        }
        return server.quotas().mayHold(server.store().usage(), domid, OutputQueue.sizeOf(event));
    }

    /** Keeps the domain's held memory equal to what waits in the queue. */
    private void chargeOutput() {
        long now = waiting.bytes();
        if (server != null && now != chargedOutput) {
            server.quotas().held().add(domid, HeldMemory.Kind.OUTPUT, now - chargedOutput);
        }
        chargedOutput = now;
    }

    /** Moves waiting output to the transport while it has room; the transport calls this when it drains. */
    public final void drain() {
        long timeout = limits.watchEventTimeoutMillis * 1_000_000L;
        while (!waiting.isEmpty() && transportWritable()) {
            XsMessage m = waiting.poll(nanoTime(), timeout);
            if (m == null) {
                break;
            }
            transportWrite(m);
        }
        chargeOutput();
        flush();
    }

    /** Forgets output waiting for the transport (reconnection). */
    final void discardWaiting() {
        waiting.clear();
        chargeOutput();
    }

    /** Messages waiting for the transport (replies and events). */
    public final int waitingCount() {
        return waiting.size();
    }

    /** Watch events among {@link #waitingCount()}. */
    final int waitingEventCount() {
        return waiting.eventCount();
    }

    /** Bytes of replies and events waiting for the transport. */
    public final long waitingBytes() {
        return waiting.bytes();
    }

    /**
     * Watch events merged into an identical waiting one, dropped over the count limit, expired unsent, and dropped
     * over the domain's memory quota.
     */
    public final long[] eventLossCounters() {
        return new long[] {waiting.merged, waiting.dropped, waiting.expired, refusedOverQuota};
    }

    @Override
    public final void sendEvent(byte[] payload) {
        if (server != null) {
            server.observer().event(this, payload);
        }
        send(new XsMessage(XsType.WATCH_EVENT.code, 0, 0, payload));
    }

    /** Called by {@link Server#connect}. */
    final void attach(Server s) {
        this.server = s;
    }

    /** A fresh transaction id: per connection, counting from 1 as C does, never 0 nor one still open. */
    final int nextTransactionId() {
        do {
            lastTransactionId++;
        } while (lastTransactionId == 0 || transactions.containsKey(lastTransactionId));
        return lastTransactionId;
    }

    /** The open transactions by id (read-only: they are opened and ended through this class). */
    public final Map<Integer, Transaction> transactions() {
        return transactionsView;
    }

    /** Opens a transaction on this connection (its changes will be charged to this domain while it is open). */
    final void addTransaction(Transaction tx) {
        transactions.put(tx.id(), tx);
        if (server != null) {
            server.snapshots().opened(this);
            server.quotas().countTransaction(domid, 1);
        }
    }

    /**
     * Makes a transaction give up its snapshot (see {@link SnapshotLimiter}); its logged changes go with it.
     *
     * @return the bytes of held memory that released
     */
    final long giveUpSnapshot(Transaction tx, Store store) {
        long released = tx.heldBytes();
        store.giveUpSnapshot(tx);
        server.quotas().held().add(domid, HeldMemory.Kind.TRANSACTIONS, -released);
        return released;
    }

    /**
     * Applies a change inside a transaction: ENOSPC if holding it until the transaction ends would exceed this
     * domain's memory quota, else the change is made in the transaction's view and charged to the domain.
     */
    final void applyInTransaction(Transaction tx, Mutation m) {
        QuotaPolicy quotas = server.quotas();
        if (quotas.applies(this)) {
            quotas.beforeHolding(server.store().usage(), domid, m.heldBytes());
        }
        long before = tx.heldBytes();
        tx.apply(m, this);
        quotas.held().add(domid, HeldMemory.Kind.TRANSACTIONS, tx.heldBytes() - before);
    }

    /** Ends a transaction (commit or abort decided by the caller): what it held is released. */
    final void endTransaction(Transaction tx) {
        if (transactions.remove(tx.id()) == tx && server != null) {
            server.quotas().held().add(domid, HeldMemory.Kind.TRANSACTIONS, -tx.heldBytes());
            server.snapshots().ended(this);
            server.quotas().countTransaction(domid, -1);
        }
    }

    /** Ends all open transactions, uncommitted. */
    final void dropTransactions() {
        for (Transaction tx : new ArrayList<>(transactions.values())) {
            endTransaction(tx);
        }
    }

    public final List<Watch> watches() {
        return watches;
    }

    /** Marks the connection closed; the caller releases its watches and transactions. Idempotent. */
    final boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        waiting.clear();
        chargeOutput();
        return true;
    }

    /** Ends this connection: transport closed, watches and transactions released. Idempotent. */
    public final void close(Server server) {
        server.disconnect(this);
        closeTransport();
    }

    @Override
    public String toString() {
        return "conn#" + id + "(" + describe() + ")";
    }
}
