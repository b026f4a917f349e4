package org.jxenstored.migration;

/**
 * Receives the records of a stream in order ({@link MigrationReader#accept}); every method does nothing unless
 * overridden.
 */
public interface MigrationVisitor {
    default void global(GlobalData r) {
    }

    default void connection(ConnectionData r) {
    }

    default void watch(WatchData r) {
    }

    default void watchExtended(WatchDataExtended r) {
    }

    default void transaction(TransactionData r) {
    }

    default void node(NodeData r) {
    }

    default void globalQuota(GlobalQuotaData r) {
    }

    default void domain(DomainData r) {
    }

    /** A record of a reserved type, skipped. */
    default void unknown(UnknownRecord r) {
    }

    /** The END record: the stream is complete and valid. */
    default void end() {
    }

    /** Calls the method of {@code v} for {@code r}'s type. */
    static void dispatch(MigrationRecord r, MigrationVisitor v) {
        if (r instanceof NodeData n) {
            v.node(n);
        } else if (r instanceof ConnectionData c) {
            v.connection(c);
        } else if (r instanceof WatchData w) {
            v.watch(w);
        } else if (r instanceof WatchDataExtended w) {
            v.watchExtended(w);
        } else if (r instanceof TransactionData t) {
            v.transaction(t);
        } else if (r instanceof GlobalData g) {
            v.global(g);
        } else if (r instanceof GlobalQuotaData q) {
            v.globalQuota(q);
        } else if (r instanceof DomainData d) {
            v.domain(d);
        } else if (r instanceof UnknownRecord u) {
            v.unknown(u);
        } else {
            v.end();
        }
    }
}
