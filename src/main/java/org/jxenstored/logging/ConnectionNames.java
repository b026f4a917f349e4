package org.jxenstored.logging;

import org.jxenstored.server.Connection;

/** How logs and debug output name a connection, as oxenstored does: {@code A<n>} for a socket, {@code D<domid>} for a ring. */
public final class ConnectionNames {
    private ConnectionNames() {
    }

    public static String of(Connection c) {
        String d = c.describe();
        return d != null && d.startsWith("socket") ? "A" + c.id() : "D" + c.domid();
    }
}
