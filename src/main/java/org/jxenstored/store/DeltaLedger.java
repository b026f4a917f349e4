package org.jxenstored.store;

import java.util.HashMap;
import java.util.Map;

/**
 * The changes a transaction (or a commit's replay) makes to a base ledger, kept apart until they become live:
 * reads see base plus changes, so quotas hold inside a transaction too.
 */
public final class DeltaLedger implements Ledger {
    private final Ledger base;
    private final Map<Integer, long[]> delta = new HashMap<>();
    private final boolean countsBytes;

    public DeltaLedger(Ledger base) {
        this(base, true);
    }

    private DeltaLedger(Ledger base, boolean countsBytes) {
        this.base = base;
        this.countsBytes = countsBytes;
    }

    /**
     * The ledger of an open transaction's view: node counts see its own changes, but its bytes are those of
     * {@code base}, because the transaction's changes are charged to its domain as held memory while it is open
     * (and counting them here too would charge them twice).
     */
    public static DeltaLedger forTransaction(Ledger base) {
        return new DeltaLedger(base, false);
    }

    @Override
    public void add(int domid, int nodes, long bytes) {
        long[] d = delta.computeIfAbsent(domid, k -> new long[2]);
        d[0] += nodes;
        d[1] += bytes;
    }

    @Override
    public int nodes(int domid) {
        long[] d = delta.get(domid);
        return base.nodes(domid) + (d == null ? 0 : (int) d[0]);
    }

    @Override
    public long bytes(int domid) {
        long[] d = delta.get(domid);
        return base.bytes(domid) + (d == null || !countsBytes ? 0 : d[1]);
    }

    /** Applies the changes to {@code target} (a commit that succeeded). */
    public void applyTo(Ledger target) {
        delta.forEach((domid, d) -> target.add(domid, (int) d[0], d[1]));
    }
}
