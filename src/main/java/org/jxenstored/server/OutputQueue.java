package org.jxenstored.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;

/**
 * What a connection's transport could not take yet, in order. Replies always wait their turn; watch events are
 * bounded: an event identical to one still waiting is merged into it, an event that waited longer than the
 * timeout is dropped rather than sent stale, and above the event limit new events are dropped (C xenstored
 * expires unread events after 20 s and merges identical ones; XSA-326).
 */
final class OutputQueue {
    private static final class Entry {
        final XsMessage msg;
        final long enqueuedNanos;

        Entry(XsMessage msg, long enqueuedNanos) {
            this.msg = msg;
            this.enqueuedNanos = enqueuedNanos;
        }

        boolean isEvent() {
            return msg.type == XsType.WATCH_EVENT.code;
        }
    }

    /** A payload as a hash key. */
    private static final class PayloadKey {
        final byte[] bytes;
        final int hash;

        PayloadKey(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PayloadKey && Arrays.equals(bytes, ((PayloadKey) o).bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Set<PayloadKey> waitingEvents = new HashSet<>();
    private int eventCount;
    private long bytes;
    long merged;
    long dropped;
    long expired;

    /** Every waiting message, oldest first. */
    void forEach(java.util.function.Consumer<XsMessage> action) {
        for (Entry e : entries) {
            action.accept(e.msg);
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    int eventCount() {
        return eventCount;
    }

    /** When the oldest message still waiting was queued ({@link System#nanoTime()} scale); 0 when none waits. */
    long oldestEnqueuedNanos() {
        Entry e = entries.peekFirst();
        return e == null ? 0 : e.enqueuedNanos;
    }

    /** The payloads of the watch events waiting, oldest first (a copy; for the operator's view). */
    List<byte[]> waitingEventPayloads() {
        List<byte[]> out = new ArrayList<>(eventCount);
        for (Entry e : entries) {
            if (e.isEvent()) {
                out.add(e.msg.payload);
            }
        }
        return out;
    }

    /** Bytes waiting (headers included): what the connection's domain is charged for them. */
    long bytes() {
        return bytes;
    }

    /** Whether an event with this payload is waiting already (a new one would be merged into it). */
    boolean hasEvent(byte[] payload) {
        return eventCount > 0 && waitingEvents.contains(new PayloadKey(payload));
    }

    /**
     * Queues a message.
     *
     * @return false when an event was merged or dropped instead
     */
    boolean add(XsMessage m, long now, int eventLimit) {
        if (m.type == XsType.WATCH_EVENT.code) {
            PayloadKey key = new PayloadKey(m.payload);
            if (waitingEvents.contains(key)) {
                merged++;
                return false;
            }
            if (eventLimit > 0 && eventCount >= eventLimit) {
                dropped++;
                return false;
            }
            waitingEvents.add(key);
            eventCount++;
        }
        entries.add(new Entry(m, now));
        bytes += sizeOf(m);
        return true;
    }

    /** The next message still worth sending, or null; events older than {@code timeoutNanos} are discarded. */
    XsMessage poll(long now, long timeoutNanos) {
        while (true) {
            Entry e = entries.poll();
            if (e == null) {
                return null;
            }
            bytes -= sizeOf(e.msg);
            if (!e.isEvent()) {
                return e.msg;
            }
            forget(e);
            if (timeoutNanos > 0 && now - e.enqueuedNanos > timeoutNanos) {
                expired++;
                continue;
            }
            return e.msg;
        }
    }

    private void forget(Entry e) {
        eventCount--;
        waitingEvents.remove(new PayloadKey(e.msg.payload));
    }

    void clear() {
        entries.clear();
        waitingEvents.clear();
        eventCount = 0;
        bytes = 0;
    }

    static long sizeOf(XsMessage m) {
        return XsMessage.HEADER_SIZE + m.payload.length;
    }
}
