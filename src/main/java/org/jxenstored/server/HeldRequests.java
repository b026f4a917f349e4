package org.jxenstored.server;

import java.util.ArrayList;
import java.util.List;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsMessage;

/**
 * The TRANSACTION_STARTs held while a live update is pending ({@link LiveUpdateGate}), in arrival order, served once
 * it is not pending any more. An unprivileged connection may have only a few held (C stalls such a connection after
 * one; here its further ones are refused with EAGAIN, which libxenstore clients retry).
 */
final class HeldRequests {
    /** Held requests per unprivileged connection at most. */
    static final int UNPRIVILEGED_MAX = 4;

    private record Held(Connection conn, XsMessage msg) {
    }

    private final List<Held> held = new ArrayList<>();

    /** Holds the request, or throws EAGAIN when an unprivileged connection has too many held already. */
    void hold(Connection conn, XsMessage msg) {
        if (!conn.privileged() && count(conn) >= UNPRIVILEGED_MAX) {
            throw XsError.EAGAIN.exception();
        }
        held.add(new Held(conn, msg));
    }

    int count(Connection conn) {
        int n = 0;
        for (Held h : held) {
            if (h.conn == conn) {
                n++;
            }
        }
        return n;
    }

    /** The requests held for {@code conn}, oldest first (a state dump carries them as the connection's input). */
    List<XsMessage> of(Connection conn) {
        List<XsMessage> out = new ArrayList<>();
        for (Held h : held) {
            if (h.conn == conn) {
                out.add(h.msg);
            }
        }
        return out;
    }

    /** Serves the held requests of connections still open, in arrival order, and forgets them. */
    void serveAll(RequestHandler handler) {
        List<Held> now = new ArrayList<>(held);
        held.clear();
        for (Held h : now) {
            handler.handle(h.conn, h.msg);
        }
    }

    boolean isEmpty() {
        return held.isEmpty();
    }
}
