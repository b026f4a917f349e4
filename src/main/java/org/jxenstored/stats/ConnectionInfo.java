package org.jxenstored.stats;

/** One connection as JMX shows it (a composite value of {@link StatsMXBean#getConnectionList()}); read-only. */
public final class ConnectionInfo {
    private final String name;
    private final int domid;
    private final String transport;
    private final int watches;
    private final int transactions;
    private final long queuedBytes;
    private final int queuedEvents;
    private final int queuedReplies;
    private final long unreadBytes;
    private final long oldestWaitingMillis;
    private final long requests;
    private final long throttled;
    private final long connectedSeconds;
    private final boolean inputPaused;
    private final String note;

    public ConnectionInfo(String name, int domid, String transport, int watches, int transactions, long queuedBytes,
            int queuedEvents, int queuedReplies, long unreadBytes, long oldestWaitingMillis, long requests,
            long throttled, long connectedSeconds, boolean inputPaused, String note) {
        this.name = name;
        this.domid = domid;
        this.transport = transport;
        this.watches = watches;
        this.transactions = transactions;
        this.queuedBytes = queuedBytes;
        this.queuedEvents = queuedEvents;
        this.queuedReplies = queuedReplies;
        this.unreadBytes = unreadBytes;
        this.oldestWaitingMillis = oldestWaitingMillis;
        this.requests = requests;
        this.throttled = throttled;
        this.connectedSeconds = connectedSeconds;
        this.inputPaused = inputPaused;
        this.note = note;
    }

    static ConnectionInfo of(StatsSnapshot.ConnectionRow r) {
        return new ConnectionInfo(r.name(), r.domid(), r.transport(), r.watches(), r.transactions(), r.queuedBytes(),
                r.queuedEvents(), r.queuedReplies(), r.unreadBytes(), r.oldestWaitingNanos() / 1_000_000,
                r.requests(), r.throttled(), r.connectedNanos() / 1_000_000_000, r.inputPaused(), r.note());
    }

    public String getName() {
        return name;
    }

    public int getDomid() {
        return domid;
    }

    public String getTransport() {
        return transport;
    }

    public int getWatches() {
        return watches;
    }

    public int getTransactions() {
        return transactions;
    }

    public long getQueuedBytes() {
        return queuedBytes;
    }

    public int getQueuedEvents() {
        return queuedEvents;
    }

    public int getQueuedReplies() {
        return queuedReplies;
    }

    public long getUnreadBytes() {
        return unreadBytes;
    }

    public long getOldestWaitingMillis() {
        return oldestWaitingMillis;
    }

    public long getRequests() {
        return requests;
    }

    public long getThrottled() {
        return throttled;
    }

    public long getConnectedSeconds() {
        return connectedSeconds;
    }

    public boolean isInputPaused() {
        return inputPaused;
    }

    public String getNote() {
        return note;
    }
}
