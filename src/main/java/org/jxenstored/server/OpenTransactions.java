package org.jxenstored.server;

import java.util.ArrayList;
import org.jxenstored.store.Mutation;
import org.jxenstored.store.Store;
import org.jxenstored.store.Transaction;

/**
 * Opens, changes and ends transactions, keeping together what goes with them: the connection's table of open
 * transactions, the memory their logged changes hold (charged to the connection's domain while open), and the
 * {@link SnapshotLimiter}'s list of connections with transactions open. Store thread only.
 */
final class OpenTransactions {
    private final Store store;
    private final QuotaPolicy quotas;
    private final SnapshotLimiter snapshots;

    private final Server server;

    OpenTransactions(Store store, QuotaPolicy quotas, SnapshotLimiter snapshots, Server server) {
        this.store = store;
        this.quotas = quotas;
        this.snapshots = snapshots;
        this.server = server;
    }

    /** Opens a transaction on {@code c} with a fresh id. */
    Transaction open(Connection c) {
        Transaction tx = store.begin(c.nextTransactionId());
        track(c, tx);
        if (c.survivesRestart()) {
            server.persistence().transactionStarted(c, tx.id());
        }
        return tx;
    }

    /** Re-opens a restored connection's transaction under its old id, doomed (see {@link Server#restoreTransaction}). */
    void restore(Connection c, int id) {
        Transaction tx = store.begin(id);
        tx.doom();
        c.noteRestoredTransactionId(id);
        track(c, tx);
    }

    private void track(Connection c, Transaction tx) {
        c.putTransaction(tx);
        snapshots.opened(c);
        quotas.countTransaction(c.domid(), 1);
    }

    /**
     * Applies a change inside a transaction: ENOSPC if holding it until the transaction ends would exceed the
     * domain's memory quota, else the change is made in the transaction's view and charged to the domain.
     */
    void apply(Connection c, Transaction tx, Mutation m) {
        if (quotas.applies(c)) {
            quotas.beforeHolding(store.usage(), c.domid(), m.heldBytes());
        }
        long before = tx.heldBytes();
        tx.apply(m, c);
        quotas.held().add(c.domid(), HeldMemory.Kind.TRANSACTIONS, tx.heldBytes() - before);
    }

    /** Ends a transaction (commit or abort is the caller's): what it held is released. */
    void end(Connection c, Transaction tx) {
        if (c.removeTransaction(tx)) {
            quotas.held().add(c.domid(), HeldMemory.Kind.TRANSACTIONS, -tx.heldBytes());
            snapshots.ended(c);
            quotas.countTransaction(c.domid(), -1);
            if (c.survivesRestart() && !c.isClosed()) {
                server.persistence().transactionEnded(c, tx.id());
            }
        }
    }

    /** Ends all of a connection's open transactions, uncommitted. */
    void endAll(Connection c) {
        for (Transaction tx : new ArrayList<>(c.transactions().values())) {
            end(c, tx);
        }
    }
}
