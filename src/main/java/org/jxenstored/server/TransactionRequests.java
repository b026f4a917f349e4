package org.jxenstored.server;

import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsException;
import org.jxenstored.store.ChangeSink;
import org.jxenstored.store.Store;
import org.jxenstored.store.Transaction;

/** TRANSACTION_START and TRANSACTION_END. */
final class TransactionRequests {
    private final Store store;
    private final OpenTransactions open;
    private final ChangeSink events;
    private final Limits limits;

    private final QuotaPolicy quotas;
    private final ServerCounters counters;

    TransactionRequests(Store store, OpenTransactions open, ChangeSink events, Limits limits, QuotaPolicy quotas,
            ServerCounters counters) {
        this.store = store;
        this.open = open;
        this.events = events;
        this.limits = limits;
        this.quotas = quotas;
        this.counters = counters;
    }

    byte[] start(Request r) {
        if (r.tx != null) {
            throw XsError.EBUSY.exception();
        }
        int max = quotas.limit(r.conn.domid(), QuotaKind.TRANSACTIONS);
        if (limits.reached(r.conn, max, r.conn.transactions().size())) {
            quotas.refused(QuotaKind.TRANSACTIONS);
            throw XsError.ENOSPC.exception();
        }
        Transaction tx = open.open(r.conn);
        counters.transactionsStarted++;
        if (store.live().quota().applies(r.conn)) {
            tx.limitFootprint(quotas.limit(r.conn.domid(), QuotaKind.TRANSACTION_NODES),
                    () -> quotas.refused(QuotaKind.TRANSACTION_NODES));
        }
        return Payload.nulTerminated(Integer.toUnsignedString(tx.id()));
    }

    /** {@code T} commits, {@code F} aborts; the transaction ends either way, also when the commit fails. */
    byte[] end(Request r) {
        String arg = Payload.single(r.msg.payload);
        boolean commit;
        if (arg.equals("T")) {
            commit = true;
        } else if (arg.equals("F")) {
            commit = false;
        } else {
            throw XsError.EINVAL.exception();
        }
        if (r.tx == null) {
            throw XsError.ENOENT.exception();
        }
        open.end(r.conn, r.tx);
        if (!commit) {
            counters.aborts++;
            return NodeRequests.OK;
        }
        try {
            store.commit(r.tx, r.conn, events);
        } catch (XsException e) {
            if (e.error() == XsError.EAGAIN) {
                counters.conflicts++;
            }
            throw e;
        }
        counters.commits++;
        return NodeRequests.OK;
    }
}
