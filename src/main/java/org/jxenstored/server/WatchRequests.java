package org.jxenstored.server;

import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.store.Paths;
import org.jxenstored.watch.Watch;

/** WATCH, UNWATCH and RESET_WATCHES. The transaction id of WATCH and UNWATCH is ignored, as in C. */
final class WatchRequests {
    private final WatchRegistry registry;
    private final OpenTransactions transactions;
    private final Limits limits;
    private final QuotaPolicy quotas;

    WatchRequests(WatchRegistry registry, OpenTransactions transactions, Limits limits, QuotaPolicy quotas) {
        this.registry = registry;
        this.transactions = transactions;
        this.limits = limits;
        this.quotas = quotas;
    }

    /** Registers the watch, replies, then fires it once at once: the reply precedes the initial event. */
    byte[] watch(Request r) {
        byte[] p = r.msg.payload;
        int count = Payload.countStrings(p);
        if (count != 2 && count != 3) {
            throw XsError.EINVAL.exception();
        }
        String[] args = Payload.split(p, count);
        int depth = count == 3 ? parseDepth(args[2]) : Watch.ANY_DEPTH;
        String raw = args[0];
        String path = r.specialPath(raw);
        if (path.startsWith("@") && depth != Watch.ANY_DEPTH && depth != 1) {
            throw XsError.EINVAL.exception(); // xenstore.txt: only depth 1 is defined for special watches
        }
        int relativePrefix = raw.startsWith("/") || raw.startsWith("@") ? 0 : path.length() - raw.length();
        String token = args[1];
        if (r.conn.watches().find(path, token) != null) {
            throw XsError.EEXIST.exception();
        }
        if (limits.reached(r.conn, quotas.limit(r.conn.domid(), QuotaKind.WATCHES),
                r.conn.watches().size())) {
            quotas.refused(QuotaKind.WATCHES);
            throw XsError.ENOSPC.exception();
        }
        long held = WatchRegistry.heldBytes(path, token);
        if (quotas.applies(r.conn)) {
            quotas.beforeHolding(r.tree().ledger(), r.conn.domid(), held);
        }
        Watch w = new Watch(r.conn, path, token, depth, relativePrefix);
        registry.add(r.conn, w);
        r.conn.send(XsMessage.reply(r.msg, XsType.WATCH, NodeRequests.OK));
        r.conn.sendEvent(w.eventPayload(path));
        return null;
    }

    private static int parseDepth(String s) {
        if (s.isEmpty() || s.length() > 9) {
            throw XsError.EINVAL.exception();
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                throw XsError.EINVAL.exception();
            }
        }
        return Integer.parseInt(s);
    }

    byte[] unwatch(Request r) {
        String[] args = Payload.split(r.msg.payload, 2);
        // Not validated, as in C: an invalid path simply matches no watch.
        String path = args[0].startsWith("/") || args[0].startsWith("@") ? args[0]
                : Paths.domainPath(r.conn.domid()) + "/" + args[0];
        if (!registry.remove(r.conn, path, args[1])) {
            throw XsError.ENOENT.exception();
        }
        return NodeRequests.OK;
    }

    /** Drops all the connection's watches and transactions; valid in any state, also inside a transaction. */
    byte[] reset(Request r) {
        registry.removeAll(r.conn);
        transactions.endAll(r.conn);
        return NodeRequests.OK;
    }
}
