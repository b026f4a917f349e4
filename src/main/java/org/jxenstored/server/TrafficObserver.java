package org.jxenstored.server;

import org.jxenstored.protocol.XsMessage;

/**
 * Sees every request, reply and watch event: the hook of the access log. Called on the store thread; must be
 * cheap when disabled and never throw.
 */
public interface TrafficObserver {
    TrafficObserver NONE = new TrafficObserver() {
    };

    default void connected(Connection c) {
    }

    default void disconnected(Connection c) {
    }

    /** A request was served and answered with {@code reply} (an ERROR reply for a failure). */
    default void served(Connection c, XsMessage request, XsMessage reply) {
    }

    /** A watch event was queued for {@code c}. */
    default void event(Connection c, byte[] payload) {
    }
}
