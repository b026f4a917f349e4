package org.jxenstored.server;

import org.jxenstored.watch.Watch;
import org.jxenstored.watch.WatchIndex;

/**
 * Adds and removes watches: in their connection's {@link ConnectionWatches}, in the store-wide {@link WatchIndex}
 * that changes are matched against, and in their domain's held memory, always together. Store thread only.
 */
final class WatchRegistry {
    private final WatchIndex index;
    private final QuotaPolicy quotas;

    private final Server server;

    WatchRegistry(WatchIndex index, QuotaPolicy quotas, Server server) {
        this.index = index;
        this.quotas = quotas;
        this.server = server;
    }

    void add(Connection c, Watch w) {
        index.add(w);
        c.watches().add(w);
        quotas.held().add(c.domid(), HeldMemory.Kind.WATCHES, heldBytes(w.path(), w.token()));
        quotas.countWatch(c.domid(), 1);
        if (c.survivesRestart()) {
            server.persistence().watchAdded(c, w);
        }
    }

    /** Removes the connection's watch on {@code path} with {@code token}; false when there is none. */
    boolean remove(Connection c, String path, String token) {
        Watch w = c.watches().remove(path, token);
        if (w == null) {
            return false;
        }
        forget(c, w);
        return true;
    }

    void removeAll(Connection c) {
        for (Watch w : c.watches().all()) {
            forget(c, w);
        }
        c.watches().clear();
    }

    private void forget(Connection c, Watch w) {
        index.remove(w);
        quotas.held().add(c.domid(), HeldMemory.Kind.WATCHES, -heldBytes(w.path(), w.token()));
        quotas.countWatch(c.domid(), -1);
        if (c.survivesRestart() && !c.isClosed()) {
            server.persistence().watchRemoved(c, w);
        }
    }

    /** What a watch costs its domain's memory quota: its path and token, as C xenstored counts it. */
    static long heldBytes(String path, String token) {
        return path.length() + token.length();
    }
}
