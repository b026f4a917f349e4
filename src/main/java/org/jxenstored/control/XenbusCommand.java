package org.jxenstored.control;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.XsError;
import org.jxenstored.server.Connection;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.Server;
import org.jxenstored.server.TrafficCount;
import org.jxenstored.server.TransportState;

/**
 * {@code xenbus <domid>} (oxenstored): the state of a domain's ring connection, in oxenstored's fields so that
 * scripts written for it still read it: {@code partial_in} (bytes still missing from the request being received),
 * {@code partial_out} (bytes handed to the ring the guest has not read), {@code pkt_out} (replies and events waiting
 * in the daemon), the queue's capacity ({@code outstanding} quota plus {@code quota-maxwatchevents}) and what uses
 * it, {@code overflow queue length} (always 0: jxenstored merges or drops events instead of holding them back),
 * {@code can_input} (requests are taken), {@code has_more_input} (requests wait in the ring), {@code has_old_output},
 * {@code has_new_output}, {@code has_more_work}, and the pending watch events; then jxenstored's own figures. ENOENT
 * when the domain has no ring connection.
 */
public final class XenbusCommand implements ControlCommand {
    private final Server server;

    public XenbusCommand(Server server) {
        this.server = server;
    }

    @Override
    public String name() {
        return "xenbus";
    }

    @Override
    public String usage() {
        return "<domid>";
    }

    @Override
    public String run(String[] args) {
        if (args.length != 1) {
            throw XsError.EINVAL.exception();
        }
        long domid = CNumbers.atoiUnsigned(args[0]);
        Connection ring = null;
        for (Connection c : server.connections()) {
            if (c.domid() == domid && "ring".equals(c.transport()) && !c.isClosed()) {
                ring = c;
                break;
            }
        }
        if (ring == null) {
            throw XsError.ENOENT.exception();
        }
        return describe(ring);
    }

    String describe(Connection c) {
        TransportState t = c.transportState();
        int waiting = c.waitingCount();
        int events = c.waitingEventCount();
        int eventLimit = server.limits().pendingEventsPerConnection;
        int outstanding = server.quotas().applies(c) ? server.quotas().limit(c.domid(), QuotaKind.OUTSTANDING) : 0;
        int replyLimit = outstanding > 0 ? outstanding : eventLimit;
        boolean canInput = !t.inputPaused();
        boolean moreInput = t.inputPending() > 0;
        Set<String> tokens = new HashSet<>();
        for (byte[] p : c.waitingEventPayloads()) {
            tokens.add(token(p));
        }
        String s = String.format(Locale.ROOT, "xenbus: XenBus state: partial_in: %d needed, partial_out: %d bytes, "
                + "pkt_out: %d packets, BoundedQueue capacity: %d, used: {\twatch_event: %d\tcommand_reply: %d}; "
                + "overflow queue length: %d, can_input: %b, has_more_input: %b, has_old_output: %b, "
                + "has_new_output: %b, has_more_work: %b. pending: Watches with pending events: %d, "
                + "pending events total: %d",
                t.inputNeeded(), t.outputPending(), waiting, replyLimit + eventLimit, events, waiting - events, 0,
                canInput, moreInput, t.outputPending() > 0, waiting > 0, moreInput && canInput, tokens.size(), events);
        s += String.format(Locale.ROOT, "; jxenstored: oldest waiting %d ms, requests served %d, events sent %d, "
                + "merged %d, dropped %d, expired %d, over memory quota %d, write-credit waits %d%s",
                TimeUnit.NANOSECONDS.toMillis(c.oldestWaitingNanos()), c.count(TrafficCount.REQUESTS),
                c.count(TrafficCount.EVENTS_SENT), c.count(TrafficCount.EVENTS_MERGED),
                c.count(TrafficCount.EVENTS_DROPPED), c.count(TrafficCount.EVENTS_EXPIRED),
                c.count(TrafficCount.EVENTS_OVER_QUOTA), c.count(TrafficCount.THROTTLED),
                t.note().isEmpty() ? "" : ", " + t.note());
        return s;
    }

    /** The token of a watch event's payload ({@code path NUL token NUL}). */
    private static String token(byte[] payload) {
        int start = 0;
        while (start < payload.length && payload[start] != 0) {
            start++;
        }
        start++;
        int end = start;
        while (end < payload.length && payload[end] != 0) {
            end++;
        }
        return start >= payload.length ? "" : new String(payload, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
