package org.jxenstored.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a tree from its nodes given in pre-order, each with its stamps (a snapshot, a live update's stream): every
 * node is made once, its children set at once ({@link Children#of}), instead of copying the path to the root at
 * each insertion. Linear in the nodes, little garbage: what a restart with a million nodes needs.
 */
public final class TreeBuilder {
    private final ArrayDeque<Open> open = new ArrayDeque<>();
    private Node root;
    private long lastStamp;

    /** A node whose subtree is still being read. */
    private static final class Open {
        final String path;
        final String name;
        final byte[] value;
        final Perms perms;
        final long generation;
        final long createSeq;
        /** Null until the first child (most nodes are leaves). */
        List<Node> children;

        Open(String path, String name, byte[] value, Perms perms, long generation, long createSeq) {
            this.path = path;
            this.name = name;
            this.value = value;
            this.perms = perms;
            this.generation = generation;
            this.createSeq = createSeq;
        }
    }

    /**
     * Adds the next node: the root first, then every node after its parent and its parent's earlier children's
     * subtrees (pre-order).
     *
     * @throws IllegalStateException when the order is broken (a corrupt stream)
     */
    public void add(String path, byte[] value, Perms perms, long generation, long createSeq) {
        lastStamp = Math.max(lastStamp, Math.max(generation, createSeq));
        if (path.equals("/")) {
            if (!open.isEmpty() || root != null) {
                throw new IllegalStateException("a second root node");
            }
            open.push(new Open("/", "", value, perms, generation, createSeq));
            return;
        }
        int slash = path.lastIndexOf('/');
        String parent = slash == 0 ? "/" : path.substring(0, slash);
        while (!open.isEmpty() && !open.peek().path.equals(parent)) {
            close();
        }
        if (open.isEmpty()) {
            throw new IllegalStateException("node " + path + " does not follow its parent");
        }
        open.push(new Open(path, path.substring(slash + 1), value, perms, generation, createSeq));
    }

    private void close() {
        Open o = open.pop();
        Children children = Children.EMPTY;
        if (o.children != null) {
            Set<String> names = new HashSet<>(o.children.size() * 2);
            for (Node c : o.children) {
                if (!names.add(c.name())) {
                    throw new IllegalStateException("node " + Paths.child(o.path, c.name()) + " given twice");
                }
            }
            children = Children.of(o.children);
        }
        Node n = Node.of(o.name, o.value, o.perms, children, o.generation, o.createSeq);
        if (open.isEmpty()) {
            root = n;
        } else {
            Open parent = open.peek();
            if (parent.children == null) {
                parent.children = new ArrayList<>(4);
            }
            parent.children.add(n);
        }
    }

    /** The tree; null when no node was added. */
    public Node finish() {
        while (!open.isEmpty()) {
            close();
        }
        return root;
    }

    /** The highest stamp among the nodes added. */
    public long lastStamp() {
        return lastStamp;
    }
}
