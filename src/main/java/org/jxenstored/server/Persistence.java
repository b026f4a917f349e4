package org.jxenstored.server;

import org.jxenstored.watch.Watch;

/**
 * Where the server reports what must survive its own death (crash restart): the persistence layer plugs in here, as
 * the domain layer does through {@link DomainRegistry}. Only what belongs to connections that survive a restart
 * (a domain's ring, {@link Connection#survivesRestart()}) is reported per connection; the store's changes are found
 * by the persistence layer itself at {@link #commit()}. Store thread only.
 */
public interface Persistence {
    /** Keeps nothing (persistence off, and tests). */
    Persistence NONE = new Persistence() {
    };

    /**
     * The end of a batch of work, before any of its output leaves the process: whatever it changed must be kept
     * now (write-ahead of every reply and event).
     */
    default void commit() {
    }

    default void watchAdded(Connection c, Watch w) {
    }

    default void watchRemoved(Connection c, Watch w) {
    }

    default void transactionStarted(Connection c, int id) {
    }

    default void transactionEnded(Connection c, int id) {
    }

    /** The connection dropped its watches, transactions and output (ring reconnection). */
    default void connectionReset(Connection c) {
    }

    /** The connection's input or output changed (bytes taken, replies or events queued). */
    default void ioChanged(Connection c) {
    }

    /**
     * A ring request starting at {@code inputPosition} of the connection's input stream is about to be served:
     * right after a restart, this is kept first, so that a request that kills the daemon again is recognised and
     * refused (quarantine) rather than crash it in a loop.
     */
    default void serving(Connection c, int inputPosition) {
    }

    /**
     * Something kept outside the tree and the connections changed: domains, quotas, special nodes' permissions.
     */
    default void domainStateChanged() {
    }
}
