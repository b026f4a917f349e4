package org.jxenstored.server;

import java.util.Iterator;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.store.Paths;
import org.jxenstored.watch.Watch;
import org.jxenstored.watch.WatchIndex;

/** WATCH, UNWATCH and RESET_WATCHES. The transaction id of WATCH and UNWATCH is ignored, as in C. */
final class WatchRequests {
    private final WatchIndex index;
    private final Limits limits;
    private final QuotaPolicy quotas;

    WatchRequests(WatchIndex index, Limits limits, QuotaPolicy quotas) {
        this.index = index;
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
        for (Watch w : r.conn.watches()) {
            if (w.path().equals(path) && w.token().equals(token)) {
                throw XsError.EEXIST.exception();
            }
        }
        if (limits.reached(r.conn, quotas.limit(r.conn.domid(), "watches", limits.watchesPerConnection),
                r.conn.watches().size())) {
            throw XsError.ENOSPC.exception();
        }
        long held = heldBytes(path, token);
        if (quotas.applies(r.conn)) {
            quotas.beforeHolding(r.tree().ledger(), r.conn.domid(), held);
        }
        Watch w = new Watch(r.conn, path, token, depth, relativePrefix);
        index.add(w);
        r.conn.watches().add(w);
        quotas.held().add(r.conn.domid(), HeldMemory.Kind.WATCHES, held);
        quotas.countWatch(r.conn.domid(), 1);
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
        for (Iterator<Watch> it = r.conn.watches().iterator(); it.hasNext();) {
            Watch w = it.next();
            if (w.path().equals(path) && w.token().equals(args[1])) {
                it.remove();
                forget(w);
                return NodeRequests.OK;
            }
        }
        throw XsError.ENOENT.exception();
    }

    /** Drops all the connection's watches and transactions; valid in any state, also inside a transaction. */
    byte[] reset(Request r) {
        removeAll(r.conn);
        r.conn.dropTransactions();
        return NodeRequests.OK;
    }

    void removeAll(Connection c) {
        for (Watch w : c.watches()) {
            forget(w);
        }
        c.watches().clear();
    }

    private void forget(Watch w) {
        index.remove(w);
        quotas.held().add(w.owner().domid(), HeldMemory.Kind.WATCHES, -heldBytes(w.path(), w.token()));
        quotas.countWatch(w.owner().domid(), -1);
    }

    /** What a watch costs its domain's memory quota: its path and token, as C xenstored counts it. */
    static long heldBytes(String path, String token) {
        return path.length() + token.length();
    }
}
