package org.jxenstored.server;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * Memory a domain holds in the daemon outside the tree: its watches, the replies and events waiting for it to
 * read them, and the changes of its open transactions. Counted against the domain's {@code memory} quota together
 * with the nodes it owns (as C xenstored does since XSA-326), so that a guest cannot grow the heap beyond its
 * quota by watching, by not reading, or by keeping transactions open. Store thread only.
 */
public final class HeldMemory {
    /** What the memory is held for. */
    public enum Kind {
        WATCHES, OUTPUT, TRANSACTIONS
    }

    private static final int KINDS = Kind.values().length;

    private final Map<Integer, long[]> byDomain = new HashMap<>();
    private IntConsumer onChange = d -> { };

    /** Tells {@code listener} the domid whenever what a domain holds grows (what can raise its maximum). */
    void onChange(IntConsumer listener) {
        this.onChange = listener;
    }

    /** Charges (or with a negative amount releases) {@code bytes} of {@code kind} to {@code domid}. */
    public void add(int domid, Kind kind, long bytes) {
        if (bytes == 0) {
            return;
        }
        long[] held = byDomain.computeIfAbsent(domid, d -> new long[KINDS]);
        held[kind.ordinal()] += bytes;
        if (bytes > 0) {
            onChange.accept(domid); // only a growth can raise the maximum it feeds
        }
        for (long h : held) {
            if (h != 0) {
                return;
            }
        }
        byDomain.remove(domid);
    }

    /** All the domain holds. */
    public long total(int domid) {
        long[] held = byDomain.get(domid);
        if (held == null) {
            return 0;
        }
        long sum = 0;
        for (long h : held) {
            sum += h;
        }
        return sum;
    }

    public long of(int domid, Kind kind) {
        long[] held = byDomain.get(domid);
        return held == null ? 0 : held[kind.ordinal()];
    }

    /** Each domain's holdings, by {@link Kind} ordinal (copies). */
    public void forEach(BiConsumer<Integer, long[]> action) {
        byDomain.forEach((d, h) -> action.accept(d, h.clone()));
    }

    public Map<Integer, long[]> snapshot() {
        Map<Integer, long[]> out = new HashMap<>();
        byDomain.forEach((d, h) -> out.put(d, h.clone()));
        return out;
    }
}
