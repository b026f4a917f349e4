package org.jxenstored.store;

/**
 * Per-domain bookkeeping of the nodes a domain owns and the bytes they take: what the {@code nodes} and
 * {@code memory} quotas are checked against. A {@link Tree} reports every change of ownership to its ledger.
 */
public interface Ledger {
    /** A ledger that keeps nothing (trees nobody accounts for). */
    Ledger NONE = new Ledger() {
        @Override
        public void add(int domid, int nodes, long bytes) {
        }

        @Override
        public int nodes(int domid) {
            return 0;
        }

        @Override
        public long bytes(int domid) {
            return 0;
        }
    };

    /** Charges (or, with negative numbers, credits) {@code domid}. */
    void add(int domid, int nodes, long bytes);

    int nodes(int domid);

    long bytes(int domid);
}
