package org.jxenstored.server;

import java.util.LinkedHashSet;
import java.util.Set;
import org.jxenstored.store.Store;
import org.jxenstored.store.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what open transactions' views keep alive within their domain's {@code memory} quota. A transaction's view
 * shares the live tree as it was when the view was built, so while it is kept the node versions replaced since
 * cannot be freed; a guest that churned its own nodes while holding transactions open could keep many times its
 * quota alive. Each unprivileged connection's transactions are charged the (over-)estimated bytes replaced since
 * their views were built; when its domain's nodes, held memory and that charge exceed the quota, the views that keep
 * the most are dropped until it fits. Dropping a view loses nothing: the transaction's next access rebuilds it from
 * the live tree and its own logged changes, and its commit is judged as before. The charge never causes ENOSPC.
 */
final class SnapshotLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLimiter.class);

    private final Store store;
    private final QuotaPolicy quotas;
    private final Limits limits;
    /** Connections with open transactions that quotas apply to. */
    private final Set<Connection> transacting = new LinkedHashSet<>();
    private long checkedAt = -1;
    long viewsDropped;

    SnapshotLimiter(Store store, QuotaPolicy quotas, Limits limits) {
        this.store = store;
        this.quotas = quotas;
        this.limits = limits;
    }

    void opened(Connection c) {
        if (quotas.applies(c)) {
            transacting.add(c);
        }
    }

    void ended(Connection c) {
        if (c.transactions().isEmpty()) {
            transacting.remove(c);
        }
    }

    /** What a connection's open transactions keep alive, estimated. */
    long keptAlive(Connection c) {
        long now = store.retiredBytes();
        long sum = 0;
        for (Transaction tx : c.transactions().values()) {
            sum += tx.keptAlive(now);
        }
        return sum;
    }

    /** Checks every transacting connection once the live tree has changed since the last check. */
    void enforce() {
        long now = store.retiredBytes();
        if (now == checkedAt || transacting.isEmpty()) {
            return;
        }
        checkedAt = now;
        for (Connection c : transacting) {
            int domid = c.domid();
            int hard = quotas.limit(domid, QuotaKind.MEMORY);
            if (hard <= 0) {
                continue;
            }
            long fixed = store.usage().bytes(domid) + quotas.held().total(domid);
            long kept = keptAlive(c);
            while (fixed + kept > hard) {
                Transaction keepsMost = null;
                for (Transaction tx : c.transactions().values()) {
                    if (tx.keptAlive(now) > 0 && (keepsMost == null || tx.keptAlive(now) > keepsMost.keptAlive(now))) {
                        keepsMost = tx;
                    }
                }
                if (keepsMost == null) {
                    break;
                }
                kept -= keepsMost.keptAlive(now);
                keepsMost.dropView();
                viewsDropped++;
                LOG.debug("{}: transaction {} dropped its view (memory quota {})", c, keepsMost.id(), hard);
            }
        }
    }
}
