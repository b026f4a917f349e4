package org.jxenstored.store;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/** The live ledger: what each domain owns in the store right now. Store thread only. */
public final class Usage implements Ledger {
    private final Map<Integer, long[]> byDomain = new HashMap<>();
    private IntConsumer onChange = d -> { };

    /**
     * Tells {@code listener} the domid after every growth of what a domain owns (the accounting's maxima: only a
     * growth can raise one).
     */
    public void onChange(IntConsumer listener) {
        this.onChange = listener;
    }

    @Override
    public void add(int domid, int nodes, long bytes) {
        if (nodes == 0 && bytes == 0) {
            return; // a rewrite of the same size, the most common change
        }
        long[] u = byDomain.computeIfAbsent(domid, d -> new long[2]);
        u[0] += nodes;
        u[1] += bytes;
        if (u[0] == 0 && u[1] == 0) {
            byDomain.remove(domid);
        }
        if (nodes > 0 || bytes > 0) {
            onChange.accept(domid);
        }
    }

    @Override
    public int nodes(int domid) {
        long[] u = byDomain.get(domid);
        return u == null ? 0 : (int) u[0];
    }

    @Override
    public long bytes(int domid) {
        long[] u = byDomain.get(domid);
        return u == null ? 0 : u[1];
    }

    /** Replaces everything by a recount of {@code root} (a restored tree). */
    public void recountFrom(Node root) {
        byDomain.clear();
        byDomain.putAll(recount(root).byDomain);
    }

    /** Forgets a domain entirely (its id may be reused: XSA-483). */
    public void forget(int domid) {
        byDomain.remove(domid);
    }

    public void forEach(BiConsumer<Integer, long[]> action) {
        byDomain.forEach((d, u) -> action.accept(d, u.clone()));
    }

    /** Recounts from a tree: what {@code check} compares the ledger with. */
    public static Usage recount(Node root) {
        Usage u = new Usage();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            u.add(n.perms.owner(), 1, n.accountedBytes());
            n.children.forEach(stack::push);
        }
        return u;
    }

    public Map<Integer, long[]> snapshot() {
        Map<Integer, long[]> out = new HashMap<>();
        byDomain.forEach((d, v) -> out.put(d, v.clone()));
        return out;
    }
}
