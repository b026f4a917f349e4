package org.jxenstored.server;

import java.util.List;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;

/**
 * The replies and events waiting for a connection's transport to take them: a bounded {@link OutputQueue} whose
 * bytes are charged to the connection's domain as held memory; a watch event that would take the domain over its
 * memory quota is dropped (and counted) instead. Store thread only.
 */
final class Outbox {
    private final OutputQueue queue = new OutputQueue();
    private final Connection owner;
    private final Server server;
    /** Bytes of {@link #queue} charged to the domain's held memory. */
    private long charged;
    /** Watch events dropped because waiting for them would exceed the domain's memory quota. */
    private long refusedOverQuota;

    Outbox(Connection owner, Server server) {
        this.owner = owner;
        this.server = server;
    }

    void forEach(java.util.function.Consumer<XsMessage> action) {
        queue.forEach(action);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Queues a message the transport cannot take now. */
    void offer(XsMessage m, long now) {
        if (m.type == XsType.WATCH_EVENT.code && !mayWait(m)) {
            refusedOverQuota++;
            return;
        }
        queue.add(m, now, server.limits().pendingEventsPerConnection);
        charge();
        server.quotas().note(owner.domid(), QuotaKind.OUTSTANDING, queue.size());
    }

    /** The next message to send, skipping events older than {@code timeoutNanos}; null when none is left. */
    XsMessage poll(long now, long timeoutNanos) {
        return queue.poll(now, timeoutNanos);
    }

    /** Keeps the domain's held memory equal to what waits. */
    void charge() {
        long now = queue.bytes();
        if (now != charged) {
            server.quotas().held().add(owner.domid(), HeldMemory.Kind.OUTPUT, now - charged);
            charged = now;
        }
    }

    /** Forgets everything waiting. */
    void clear() {
        queue.clear();
        charge();
    }

    /** Whether a watch event may wait for this reader: merged ones cost nothing, others count against the quota. */
    private boolean mayWait(XsMessage event) {
        QuotaPolicy quotas = server.quotas();
        if (queue.hasEvent(event.payload) || !quotas.applies(owner)) {
            return true;
        }
        return quotas.mayHold(server.store().usage(), owner.domid(), OutputQueue.sizeOf(event));
    }

    int size() {
        return queue.size();
    }

    int eventCount() {
        return queue.eventCount();
    }

    long bytes() {
        return queue.bytes();
    }

    long oldestEnqueuedNanos() {
        return queue.oldestEnqueuedNanos();
    }

    List<byte[]> waitingEventPayloads() {
        return queue.waitingEventPayloads();
    }

    long merged() {
        return queue.merged;
    }

    long dropped() {
        return queue.dropped;
    }

    long expired() {
        return queue.expired;
    }

    long refusedOverQuota() {
        return refusedOverQuota;
    }

    /** Events merged, dropped over the count limit, expired unsent, and dropped over the memory quota. */
    long[] lossCounters() {
        return new long[] {queue.merged, queue.dropped, queue.expired, refusedOverQuota};
    }
}
