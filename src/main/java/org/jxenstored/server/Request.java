package org.jxenstored.server;

import org.jxenstored.protocol.Payload;
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

    Request(Connection conn, XsMessage msg, Transaction tx, Tree live, int pathMax) {
        this.conn = conn;
        this.msg = msg;
        this.tx = tx;
        this.live = live;
        this.pathMax = pathMax;
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
        return Paths.canonical(conn.domid(), raw, pathMax);
    }

    /** Notes a read for the transaction's conflict check; call before looking at {@link #tree()}. */
    void read(String path) {
        if (tx != null) {
            tx.read(path);
        }
    }
}
