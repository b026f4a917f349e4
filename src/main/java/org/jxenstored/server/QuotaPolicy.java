package org.jxenstored.server;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsException;
import org.jxenstored.store.Caller;
import org.jxenstored.store.Ledger;
import org.jxenstored.store.Quota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C xenstored's per-domain quotas, enforced, and its per-domain accounting (Xen 4.22).
 *
 * <p>Every domain the daemon knows has an account, as C has a {@code struct domain}: created when the domain is
 * first met (introduced, named by SET_FEATURE, GET_QUOTA, SET_QUOTA or a permission entry, owning a node, holding a
 * watch or a transaction), it takes a copy of the global values of {@link Limits} then, so that a later change of a
 * global value applies to domains met afterwards only; SET_QUOTA changes one account's value. The account also
 * keeps the highest value seen of each accounting item (C's {@code quota <domid>} and {@code quota max}) and dies
 * with the domain (its id may be reused: XSA-483). A domain without an account (not met yet) is judged by the global
 * values.
 *
 * <p>A hit answers ENOSPC and is logged (domain, quota, limit), at most once a second per domain and quota, so that
 * operators see why a guest's writes fail. Privileged callers are exempt unless configured otherwise. Limits are the
 * documented ones ({@code quota} lists them as maxima): a domain may own {@code nodes} nodes, hold {@code watches}
 * watches, and so on; C 4.22 stops one short of several of them ({@code val >= quota}), see docs/protocol.md.
 */
public final class QuotaPolicy implements Quota {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaPolicy.class);
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    /** One known domain: its quota values, the watches and transactions it holds, the highest values seen. */
    public static final class Account {
        private final int[] values;
        /** Per accounting item: the hard quotas, C's {@code enum accitem} (see {@link QuotaKind#HARD}). */
        private final long[] max = new long[QuotaKind.HARD.size()];
        private int watches;
        private int transactions;

        private Account(int[] values) {
            this.values = values;
        }

        /** The highest value seen of accounting item {@code item} (a hard quota). */
        /** This domain's own value of {@code q}. */
        public int value(QuotaKind q) {
            return values[q.ordinal()];
        }

        public long max(QuotaKind item) {
            return max[item.ordinal()];
        }

        public int watches() {
            return watches;
        }

        public int transactions() {
            return transactions;
        }
    }

    private final Limits limits;
    private final Map<Integer, Account> accounts = new HashMap<>();
    private final long[] globalMax = new long[QuotaKind.HARD.size()];
    private final Map<String, Long> lastLogged = new HashMap<>();
    private final Map<Integer, Boolean> softWarned = new HashMap<>();
    private final HeldMemory held = new HeldMemory();
    /** Refusals per quota (by {@link QuotaKind} ordinal; the soft memory quota: times it was exceeded). */
    private final long[] refusals = new long[QuotaKind.values().length];
    private Ledger usage = Ledger.NONE;

    public QuotaPolicy(Limits limits) {
        this.limits = limits;
        held.onChange(this::noteMemory);
    }

    /** The live ledger, whose figures make the {@code nodes} and {@code memory} items. */
    void watchUsage(Ledger live) {
        this.usage = live;
    }

    /** What domains hold outside the tree; counted against their {@code memory} quota with their nodes. */
    public HeldMemory held() {
        return held;
    }

    @Override
    public boolean applies(Caller caller) {
        return !(caller.privileged() && limits.privilegedExempt);
    }

    /** Whether the daemon knows {@code domid} (C: has a {@code struct domain} for it). */
    public boolean known(int domid) {
        return accounts.containsKey(domid);
    }

    /** The account of {@code domid}, created with a copy of the global quota values if the domain is new. */
    public Account adopt(int domid) {
        Account a = accounts.get(domid);
        if (a == null) {
            int[] values = new int[QuotaKind.values().length];
            for (QuotaKind q : QuotaKind.values()) {
                values[q.ordinal()] = limits.get(q);
            }
            a = new Account(values);
            accounts.put(domid, a);
        }
        return a;
    }

    /** The account of a known domain, or null. */
    public Account account(int domid) {
        return accounts.get(domid);
    }

    /** Every account, by domid. */
    public void forEachAccount(BiConsumer<Integer, Account> action) {
        accounts.forEach(action);
    }

    /** A domain's value of a quota: its account's, else the global one. */
    public int limit(int domid, QuotaKind q) {
        Account a = accounts.get(domid);
        return a == null ? limits.get(q) : a.values[q.ordinal()];
    }

    /** SET_QUOTA for one domain (whose account is created first if need be). */
    public void setDomainLimit(int domid, QuotaKind q, int value) {
        adopt(domid).values[q.ordinal()] = value;
    }

    /** Forgets a domain that is gone (released or dead): its account, values and maxima (XSA-483). */
    public void forget(int domid) {
        accounts.remove(domid);
        softWarned.remove(domid);
    }

    // ------------------------------------------------------------------ accounting

    /** Records {@code value} of {@code item} for {@code domid}: its maximum, and the global one for guests. */
    public void note(int domid, QuotaKind item, long value) {
        int i = item.ordinal();
        Account a = accounts.get(domid);
        if (a != null && value > a.max[i]) {
            a.max[i] = value;
        }
        if (domid != 0 && value > globalMax[i]) {
            globalMax[i] = value;
        }
    }

    /** The highest value of accounting item {@code item} any unprivileged domain reached (C's {@code quota max}). */
    public long globalMax(QuotaKind item) {
        return globalMax[item.ordinal()];
    }

    /** {@code quota max -r}: the global maxima start again from 0, each domain's from its current values. */
    public void resetMaxima(IntFunction<long[]> current) {
        Arrays.fill(globalMax, 0);
        accounts.forEach((domid, a) -> {
            long[] now = current.apply(domid);
            System.arraycopy(now, 0, a.max, 0, a.max.length);
        });
    }

    /** A watch was added ({@code +1}) or removed ({@code -1}) for {@code domid}. */
    void countWatch(int domid, int delta) {
        Account a = adopt(domid);
        a.watches += delta;
        note(domid, QuotaKind.WATCHES, a.watches);
    }

    /** A transaction was started ({@code +1}) or ended ({@code -1}) by {@code domid}. */
    void countTransaction(int domid, int delta) {
        Account a = adopt(domid);
        a.transactions += delta;
        note(domid, QuotaKind.TRANSACTIONS, a.transactions);
    }

    /** The live ledger changed what {@code domid} owns. */
    public void noteOwnership(int domid) {
        adopt(domid);
        note(domid, QuotaKind.NODES, usage.nodes(domid));
        noteMemory(domid);
    }

    private void noteMemory(int domid) {
        note(domid, QuotaKind.MEMORY, usage.bytes(domid) + held.total(domid));
    }

    // ------------------------------------------------------------------ refusals

    /**
     * Counts a refusal by quota {@code q}: a request answered ENOSPC (EINVAL for {@code path-max}), a watch event
     * dropped ({@code memory}), a guest's waiting replies and events reaching its quota, so that its further
     * requests wait in its ring ({@code outstanding}, once each time); for the soft memory quota, a change that took
     * a domain above it.
     */
    public void refused(QuotaKind q) {
        refusals[q.ordinal()]++;
    }

    /** How often {@code q} refused something since the start (see {@link #refused}). */
    public long refusals(QuotaKind q) {
        return refusals[q.ordinal()];
    }

    // ------------------------------------------------------------------ enforcement

    @Override
    public void beforeCreate(Caller caller, Ledger ledger, int owner, int nodes, long bytes) {
        int max = limit(owner, QuotaKind.NODES);
        if (max > 0 && ledger.nodes(owner) + nodes > max) {
            throw hit(owner, QuotaKind.NODES, max);
        }
        beforeGrowth(caller, ledger, owner, bytes);
    }

    @Override
    public void checkNodeSize(Caller caller, long size) {
        note(caller.domid(), QuotaKind.NODE_SIZE, size);
        int max = limit(caller.domid(), QuotaKind.NODE_SIZE);
        if (max > 0 && size > max) {
            throw hit(caller.domid(), QuotaKind.NODE_SIZE, max);
        }
    }

    @Override
    public void checkPermissions(Caller caller, int entries) {
        note(caller.domid(), QuotaKind.NODE_PERMISSIONS, entries);
        int max = limit(caller.domid(), QuotaKind.NODE_PERMISSIONS);
        if (max > 0 && entries > max) {
            throw hit(caller.domid(), QuotaKind.NODE_PERMISSIONS, max);
        }
    }

    @Override
    public void beforeGrowth(Caller caller, Ledger ledger, int owner, long bytes) {
        checkMemory(owner, ledger.bytes(owner) + held.total(owner) + bytes);
    }

    /**
     * ENOSPC unless {@code domid} may hold {@code bytes} more outside the tree (a watch, a transaction's change):
     * its nodes' bytes in {@code ledger} and all it holds already count. Call only if the quotas apply.
     */
    public void beforeHolding(Ledger ledger, int domid, long bytes) {
        checkMemory(domid, ledger.bytes(domid) + held.total(domid) + bytes);
    }

    /**
     * Whether a watch event of {@code bytes} may wait for {@code domid} to read it; if not, it is dropped (as C
     * does), so that nobody can drive a guest past its memory quota by causing events for it.
     */
    public boolean mayHold(Ledger ledger, int domid, long bytes) {
        int exceeded = exceededMemoryLimit(domid, ledger.bytes(domid) + held.total(domid) + bytes);
        if (exceeded > 0) {
            hit(domid, QuotaKind.MEMORY, exceeded);
            return false;
        }
        return true;
    }

    /** The domain's hard memory limit if {@code after} bytes would exceed it, else 0. */
    private int exceededMemoryLimit(int domid, long after) {
        int hard = limit(domid, QuotaKind.MEMORY);
        return hard > 0 && after > hard ? hard : 0;
    }

    private void checkMemory(int domid, long after) {
        int exceeded = exceededMemoryLimit(domid, after);
        if (exceeded > 0) {
            throw hit(domid, QuotaKind.MEMORY, exceeded);
        }
        int soft = limit(domid, QuotaKind.SOFT_MEMORY);
        if (soft > 0 && after > soft) {
            refused(QuotaKind.SOFT_MEMORY);
            if (softWarned.put(domid, Boolean.TRUE) == null) {
                LOG.warn("domain {} uses {} bytes of xenstore memory, above the soft quota of {}", domid, after, soft);
            }
        }
    }

    /** A quota hit: logged (rate-limited), then ENOSPC. */
    XsException hit(int domid, QuotaKind quota, int limit) {
        refused(quota);
        String key = domid + "/" + quota.cName;
        long now = System.nanoTime();
        Long last = lastLogged.get(key);
        if (last == null || now - last > LOG_INTERVAL_NANOS) {
            lastLogged.put(key, now);
            LOG.warn("domain {} hit quota {} (limit {}): ENOSPC", domid, quota.cName, limit);
        }
        return XsError.ENOSPC.exception();
    }
}
