package org.jxenstored.server;

import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsException;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.store.Paths;
import org.jxenstored.store.Transaction;
import org.jxenstored.store.Tree;

/** A request being served: who sent it, the message, and the transaction it runs in (or null). */
final class Request {
    final Connection conn;
    final XsMessage msg;
    final Transaction tx;
    private final Tree live;
    private final int pathMax;
    /** Where the lengths of the paths the caller uses are recorded (its quotas apply), or null. */
    private final QuotaPolicy accounting;

    Request(Connection conn, XsMessage msg, Transaction tx, Tree live, int pathMax, QuotaPolicy accounting) {
        this.conn = conn;
        this.msg = msg;
        this.tx = tx;
        this.live = live;
        this.pathMax = pathMax;
        this.accounting = accounting;
    }

    /** The tree this request sees: the transaction's view, or the live tree. */
    Tree tree() {
        return tx == null ? live : tx.view();
    }

    /** The single path argument, resolved and validated. */
    String pathArg() {
        return path(Payload.single(msg.payload));
    }

    /** A path argument, resolved and validated; unprivileged domains are held to their {@code path-max} quota. */
    String path(String raw) {
        try {
            return noted(Paths.canonical(conn.domid(), raw, pathMax));
        } catch (XsException e) {
            throw refused(raw, e);
        }
    }

    /** As {@link #path}, but a special {@code @} path (a watch, a special node's permissions) is allowed too. */
    String specialPath(String raw) {
        try {
            return noted(Paths.canonicalSpecial(conn.domid(), raw, pathMax));
        } catch (XsException e) {
            throw refused(raw, e);
        }
    }

    /** Counts a path refused for its length as a {@code path-max} refusal. */
    private XsException refused(String raw, XsException e) {
        if (accounting != null && Paths.tooLong(conn.domid(), raw, pathMax)) {
            accounting.refused(QuotaKind.PATH_MAX);
        }
        return e;
    }

    private String noted(String path) {
        if (accounting != null) {
            accounting.note(conn.domid(), QuotaKind.PATH_MAX, Paths.relativeLength(path));
        }
        return path;
    }

    /** Notes a read for the transaction's conflict check; call before looking at {@link #tree()}. */
    void read(String path) {
        if (tx != null) {
            tx.read(path);
        }
    }
}
