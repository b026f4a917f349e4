package org.jxenstored.control;

import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;

/** One live-update session: opened by {@code -f} on a connection, bound to it, started by {@code -s}. */
final class LiveUpdateSession {
    final Connection conn;
    final String binary;
    /** {@code -c}'s command line, or null: the successor gets the daemon's own arguments. */
    String cmdline;
    /** The {@code -s} request waiting for its answer, or null before {@code -s}. */
    XsMessage start;
    boolean force;
    long timeoutSeconds;
    int version;
    long startedNanos;

    LiveUpdateSession(Connection conn, String binary) {
        this.conn = conn;
        this.binary = binary;
    }

    boolean started() {
        return start != null;
    }
}
