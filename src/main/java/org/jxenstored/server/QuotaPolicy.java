package org.jxenstored.server;

import java.util.HashMap;
import java.util.Map;
import org.jxenstored.protocol.XsError;
import org.jxenstored.store.Caller;
import org.jxenstored.store.Ledger;
import org.jxenstored.store.Quota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C xenstored's per-domain quotas, enforced: the global values of {@link Limits}, overridden per domain by
 * SET_QUOTA. A hit answers ENOSPC and is logged (domain, quota, limit), at most once a second per domain and quota,
 * so that operators see why a guest's writes fail. Privileged callers are exempt unless configured otherwise.
 */
public final class QuotaPolicy implements Quota {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaPolicy.class);
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final Limits limits;
    private final Map<Integer, Map<String, Integer>> perDomain = new HashMap<>();
    private final Map<String, Long> lastLogged = new HashMap<>();
    private final Map<Integer, Boolean> softWarned = new HashMap<>();
    private final HeldMemory held = new HeldMemory();

    public QuotaPolicy(Limits limits) {
        this.limits = limits;
    }

    /** What domains hold outside the tree; counted against their {@code memory} quota with their nodes. */
    public HeldMemory held() {
        return held;
    }

    @Override
    public boolean applies(Caller caller) {
        return !(caller.privileged() && limits.privilegedExempt);
    }

    /** A domain's value of a quota: its own if SET_QUOTA gave one, else the global one. */
    public int limit(int domid, String name, int global) {
        Map<String, Integer> own = perDomain.get(domid);
        Integer v = own == null ? null : own.get(name);
        return v == null ? global : v;
    }

    public void setDomainLimit(int domid, String name, int value) {
        perDomain.computeIfAbsent(domid, d -> new HashMap<>()).put(name, value);
    }

    /** Forgets a dead domain's own quotas (its id may be reused: XSA-483). */
    public void forget(int domid) {
        perDomain.remove(domid);
        softWarned.remove(domid);
    }

    @Override
    public void beforeCreate(Caller caller, Ledger ledger, int owner, int nodes, long bytes) {
        int max = limit(owner, "nodes", limits.nodesPerDomain);
        if (max > 0 && ledger.nodes(owner) + nodes > max) {
            throw hit(owner, "nodes", max);
        }
        beforeGrowth(caller, ledger, owner, bytes);
    }

    @Override
    public void checkNodeSize(Caller caller, long size) {
        int max = limit(caller.domid(), "node-size", limits.nodeSize);
        if (max > 0 && size > max) {
            throw hit(caller.domid(), "node-size", max);
        }
    }

    @Override
    public void checkPermissions(Caller caller, int entries) {
        int max = limit(caller.domid(), "permissions", limits.permsPerNode);
        if (max > 0 && entries > max) {
            throw hit(caller.domid(), "permissions", max);
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
            hit(domid, "memory", exceeded);
            return false;
        }
        return true;
    }

    /** The domain's hard memory limit if {@code after} bytes would exceed it, else 0. */
    private int exceededMemoryLimit(int domid, long after) {
        int hard = limit(domid, "memory", limits.memoryPerDomain);
        return hard > 0 && after > hard ? hard : 0;
    }

    private void checkMemory(int domid, long after) {
        int exceeded = exceededMemoryLimit(domid, after);
        if (exceeded > 0) {
            throw hit(domid, "memory", exceeded);
        }
        int soft = limit(domid, "soft-memory", limits.memoryPerDomainSoft);
        if (soft > 0 && after > soft && softWarned.put(domid, Boolean.TRUE) == null) {
            LOG.warn("domain {} uses {} bytes of xenstore memory, above the soft quota of {}", domid, after, soft);
        }
    }

    /** A quota hit: logged (rate-limited), then ENOSPC. */
    org.jxenstored.protocol.XsException hit(int domid, String quota, int limit) {
        String key = domid + "/" + quota;
        long now = System.nanoTime();
        Long last = lastLogged.get(key);
        if (last == null || now - last > LOG_INTERVAL_NANOS) {
            lastLogged.put(key, now);
            LOG.warn("domain {} hit quota {} (limit {}): ENOSPC", domid, quota, limit);
        }
        return XsError.ENOSPC.exception();
    }
}
