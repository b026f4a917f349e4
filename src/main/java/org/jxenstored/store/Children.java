package org.jxenstored.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The persistent (immutable) set of a node's children, keyed by name: a hash array mapped trie whose leaves are the
 * child {@link Node}s themselves, so a child costs one slot and no entry object. Lookup, insert and remove are
 * O(log32 n) and copy at most one small array per trie level, so adding the 50 001st child of a directory costs the
 * same as adding the 2nd. Creation order (what DIRECTORY shows) is not kept here but derived from
 * {@link Node#createSeq} by {@link Node#childNamesInOrder()}.
 */
final class Children {
    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    /** Below this depth hash bits are exhausted (32 bits / 5 per level) and equal hashes share a collision list. */
    private static final int MAX_SHIFT = 30;

    static final Children EMPTY = new Children(new Level(0, new Object[0]), 0);

    private final Level root;
    private final int size;
    /** DIRECTORY payload in creation order, built on first listing ({@link Node#childNamesInOrder()}, store thread). */
    byte[] listing;

    private Children(Level root, int size) {
        this.root = root;
        this.size = size;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Node get(String name) {
        return get(name, 0, name.length());
    }

    /** The child called {@code path.substring(start, end)} (a segment of a path, without making its string). */
    Node get(String path, int start, int end) {
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + path.charAt(i);
        }
        Object slot = root;
        int shift = 0;
        while (true) {
            if (slot instanceof Level) {
                Level level = (Level) slot;
                int bit = 1 << ((hash >>> shift) & MASK);
                if ((level.bitmap & bit) == 0) {
                    return null;
                }
                slot = level.slots[Integer.bitCount(level.bitmap & (bit - 1))];
                shift += BITS;
            } else if (slot instanceof Node) {
                Node n = (Node) slot;
                return n.nameEquals(path, start, end) ? n : null;
            } else {
                for (Node n : (Node[]) slot) {
                    if (n.nameEquals(path, start, end)) {
                        return n;
                    }
                }
                return null;
            }
        }
    }

    /**
     * The set of {@code nodes} (distinct names), built at once: each trie level is made once, instead of copied at
     * every insertion (restoring a snapshot of a million nodes).
     */
    static Children of(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return EMPTY;
        }
        Object root = build(nodes, 0);
        Level level = root instanceof Level ? (Level) root : null;
        if (level == null) {
            // one node, or nodes with one hash: a root level holding that slot
            Node first = root instanceof Node ? (Node) root : ((Node[]) root)[0];
            int bit = 1 << (first.nameHash() & MASK);
            level = new Level(bit, new Object[] {root});
        }
        return new Children(level, nodes.size());
    }

    /** The slot for {@code nodes}, which share their hash digits below {@code shift}. */
    private static Object build(List<Node> nodes, int shift) {
        if (nodes.size() == 1) {
            return nodes.get(0);
        }
        int hash = nodes.get(0).nameHash();
        boolean sameHash = true;
        for (Node n : nodes) {
            sameHash &= n.nameHash() == hash;
        }
        if (sameHash || shift > MAX_SHIFT) {
            return nodes.toArray(new Node[0]);
        }
        @SuppressWarnings("unchecked")
        List<Node>[] buckets = new List[1 << BITS];
        int bitmap = 0;
        for (Node n : nodes) {
            int digit = (n.nameHash() >>> shift) & MASK;
            if (buckets[digit] == null) {
                buckets[digit] = new ArrayList<>(2);
            }
            buckets[digit].add(n);
            bitmap |= 1 << digit;
        }
        Object[] slots = new Object[Integer.bitCount(bitmap)];
        int i = 0;
        for (List<Node> b : buckets) {
            if (b != null) {
                slots[i++] = build(b, shift + BITS); // depth bounded by 7 trie levels
            }
        }
        return new Level(bitmap, slots);
    }

    /** This set with {@code child} added, or replacing the child of the same name. */
    Children with(Node child) {
        boolean[] added = new boolean[1];
        Level newRoot = (Level) insert(root, child, child.nameHash(), 0, added);
        return new Children(newRoot, added[0] ? size + 1 : size);
    }

    /**
     * This set with a child replaced by a new version of itself (same name, same creation stamp): the listing, which
     * depends on names and creation order only, is kept.
     */
    Children withNewVersion(Node child) {
        Children c = with(child);
        c.listing = listing;
        return c;
    }

    /** This set without the child called {@code name} (the same instance if there is none). */
    Children without(String name) {
        if (get(name) == null) {
            return this;
        }
        Object newRoot = remove(root, name, name.hashCode(), 0);
        return newRoot == null ? EMPTY : new Children((Level) newRoot, size - 1);
    }

    void forEach(Consumer<Node> action) {
        visit(root, action);
    }

    Node[] toArray() {
        Node[] out = new Node[size];
        int[] pos = new int[1];
        forEach(n -> out[pos[0]++] = n);
        return out;
    }

    /** Hears what differs between two child sets ({@link #diff}). */
    interface Diff {
        void removed(Node old);

        void added(Node now);

        /** Same name, another version. */
        void changed(Node old, Node now);
    }

    /**
     * Reports what differs from {@code a} to {@code b}, skipping every part of the trie they share: O(changes), not
     * O(children), when {@code b} was derived from {@code a}.
     */
    static void diff(Children a, Children b, Diff d) {
        if (a != b) {
            diffSlots(a.root, b.root, d);
        }
    }

    private static void diffSlots(Object a, Object b, Diff d) {
        if (a == b) {
            return;
        }
        if (a instanceof Level && b instanceof Level) {
            Level la = (Level) a;
            Level lb = (Level) b;
            int all = la.bitmap | lb.bitmap;
            while (all != 0) {
                int bit = all & -all;
                all &= all - 1;
                Object sa = (la.bitmap & bit) == 0 ? null : la.slots[Integer.bitCount(la.bitmap & (bit - 1))];
                Object sb = (lb.bitmap & bit) == 0 ? null : lb.slots[Integer.bitCount(lb.bitmap & (bit - 1))];
                diffSlots(sa, sb, d); // depth bounded by 7 trie levels
            }
            return;
        }
        if (a instanceof Node && b instanceof Node) { // the common case: one child replaced by its new version
            Node na = (Node) a;
            Node nb = (Node) b;
            if (na.sameName(nb)) {
                d.changed(na, nb);
            } else {
                d.removed(na);
                d.added(nb);
            }
            return;
        }
        // different shapes (a node, a collision list, nothing): few nodes, compare them by name
        Map<String, Node> before = new HashMap<>();
        if (a != null) {
            visit(a, n -> before.put(n.name(), n));
        }
        if (b != null) {
            visit(b, n -> {
                Node old = before.remove(n.name());
                if (old == null) {
                    d.added(n);
                } else if (old != n) {
                    d.changed(old, n);
                }
            });
        }
        before.values().forEach(d::removed);
    }

    private static void visit(Object slot, Consumer<Node> action) {
        if (slot instanceof Level) {
            for (Object s : ((Level) slot).slots) {
                visit(s, action); // depth bounded by 7 trie levels, not by guest input
            }
        } else if (slot instanceof Node) {
            action.accept((Node) slot);
        } else {
            for (Node n : (Node[]) slot) {
                action.accept(n);
            }
        }
    }

    private static Object insert(Object slot, Node child, int hash, int shift, boolean[] added) {
        if (slot instanceof Level) {
            Level level = (Level) slot;
            int bit = 1 << ((hash >>> shift) & MASK);
            int idx = Integer.bitCount(level.bitmap & (bit - 1));
            if ((level.bitmap & bit) == 0) {
                added[0] = true;
                Object[] slots = new Object[level.slots.length + 1];
                System.arraycopy(level.slots, 0, slots, 0, idx);
                slots[idx] = child;
                System.arraycopy(level.slots, idx, slots, idx + 1, level.slots.length - idx);
                return new Level(level.bitmap | bit, slots);
            }
            Object[] slots = level.slots.clone();
            slots[idx] = insert(level.slots[idx], child, hash, shift + BITS, added);
            return new Level(level.bitmap, slots);
        }
        if (slot instanceof Node) {
            Node existing = (Node) slot;
            if (existing.sameName(child)) {
                return child;
            }
            added[0] = true;
            int existingHash = existing.nameHash();
            if (shift > MAX_SHIFT || existingHash == hash) {
                return new Node[] {existing, child};
            }
            Object level = new Level(0, new Object[0]);
            level = insert(level, existing, existingHash, shift, new boolean[1]);
            return insert(level, child, hash, shift, added);
        }
        Node[] list = (Node[]) slot;
        for (int i = 0; i < list.length; i++) {
            if (list[i].sameName(child)) {
                Node[] copy = list.clone();
                copy[i] = child;
                return copy;
            }
        }
        added[0] = true;
        Node[] copy = Arrays.copyOf(list, list.length + 1);
        copy[list.length] = child;
        return copy;
    }

    /** Removes a name known to be present; returns the replacement slot, or null when the slot becomes empty. */
    private static Object remove(Object slot, String name, int hash, int shift) {
        if (slot instanceof Level) {
            Level level = (Level) slot;
            int bit = 1 << ((hash >>> shift) & MASK);
            int idx = Integer.bitCount(level.bitmap & (bit - 1));
            Object replacement = remove(level.slots[idx], name, hash, shift + BITS);
            if (replacement != null) {
                Object[] slots = level.slots.clone();
                slots[idx] = replacement;
                return new Level(level.bitmap, slots);
            }
            if (level.slots.length == 1) {
                return shift == 0 ? new Level(0, new Object[0]) : null;
            }
            Object[] slots = new Object[level.slots.length - 1];
            System.arraycopy(level.slots, 0, slots, 0, idx);
            System.arraycopy(level.slots, idx + 1, slots, idx, slots.length - idx);
            return new Level(level.bitmap & ~bit, slots);
        }
        if (slot instanceof Node) {
            return null;
        }
        Node[] list = (Node[]) slot;
        if (list.length == 2) {
            return list[0].nameEquals(name, 0, name.length()) ? list[1] : list[0];
        }
        Node[] copy = new Node[list.length - 1];
        int j = 0;
        for (Node n : list) {
            if (!n.nameEquals(name, 0, name.length())) {
                copy[j++] = n;
            }
        }
        return copy;
    }

    /** One trie level: a bitmap of occupied 5-bit hash digits and the occupied slots in digit order. */
    private static final class Level {
        final int bitmap;
        final Object[] slots;

        Level(int bitmap, Object[] slots) {
            this.bitmap = bitmap;
            this.slots = slots;
        }
    }
}
