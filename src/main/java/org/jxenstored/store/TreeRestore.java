package org.jxenstored.store;

/**
 * Rebuilds a tree exactly, stamps included, from what {@link TreeDiff} (the journal) or a snapshot recorded: each
 * node is put as recorded, without new stamps and without touching its ancestors' generations (their own records
 * carry those). Paths are canonical; a node's parent is restored before it.
 */
public final class TreeRestore {
    private Node root;
    private long lastStamp;
    /*
     * A run of nodes put under one parent (a journal frame of pipelined writes, a directory of a snapshot) changes
     * that parent's child set only: its ancestors are copied once, when the run ends, instead of at every node.
     * Null pendingPath: no run.
     */
    private String pendingPath;
    private Node[] pendingChain;
    private Children pendingChildren;

    /** Starts from {@code root} (a snapshot's tree, or an empty root for a snapshot being read). */
    public TreeRestore(Node root) {
        this.root = root;
        this.lastStamp = Math.max(root.generation, root.createSeq);
    }

    /** An empty root, to be replaced by the recorded one. */
    public static Node emptyRoot() {
        return Node.create("", null, Perms.DOM0_ONLY, 0);
    }

    public Node root() {
        flush();
        return root;
    }

    /** The highest stamp of any node restored so far (the store continues after it). */
    public long lastStamp() {
        return lastStamp;
    }

    /**
     * Puts the node recorded at {@code path}: an existing node of the same creation stamp (and the root)
     * keeps its children, any other is replaced by a node without children.
     *
     * @throws IllegalStateException when its parent does not exist (records out of order: a corrupt state)
     */
    public void set(String path, byte[] value, Perms perms, long generation, long createSeq) {
        lastStamp = Math.max(lastStamp, Math.max(generation, createSeq));
        int slash = path.lastIndexOf('/');
        if (path.length() <= 1) {
            flush();
            root = Node.of("", value, perms, root.children, generation, createSeq); // the root keeps its children
            return;
        }
        String parentPath = slash == 0 ? "/" : path.substring(0, slash);
        if (!parentPath.equals(pendingPath)) {
            flush();
            String[] segs = Paths.segments(parentPath);
            pendingChain = chain(segs, segs.length, path);
            pendingChildren = pendingChain[segs.length].children;
            pendingPath = parentPath;
        }
        String name = path.substring(slash + 1);
        Node old = pendingChildren.get(name);
        Children kids = old != null && old.createSeq == createSeq ? old.children : Children.EMPTY;
        pendingChildren = pendingChildren.with(Node.of(name, value, perms, kids, generation, createSeq));
    }

    /** Ends a run of nodes put under one parent: the parent and its ancestors are copied (keeping their stamps). */
    private void flush() {
        if (pendingPath == null) {
            return;
        }
        int depth = pendingChain.length - 1;
        linkUp(pendingChain, depth, pendingChain[depth].withChildrenKeepingStamps(pendingChildren));
        pendingPath = null;
        pendingChain = null;
        pendingChildren = null;
    }

    /** Removes the node at {@code path} and its subtree, if there is one. */
    public void remove(String path) {
        flush();
        String[] segs = Paths.segments(path);
        if (segs.length == 0) {
            throw new IllegalStateException("the root cannot be removed");
        }
        Node parent = root;
        Node[] chain = new Node[segs.length];
        for (int i = 0; i < segs.length - 1; i++) {
            chain[i] = parent;
            parent = parent.children.get(segs[i]);
            if (parent == null) {
                return;
            }
        }
        chain[segs.length - 1] = parent;
        if (parent.children.get(segs[segs.length - 1]) == null) {
            return;
        }
        Children without = parent.children.without(segs[segs.length - 1]);
        linkUp(chain, segs.length - 1, parent.withChildrenKeepingStamps(without));
    }

    /** The nodes from the root down to depth {@code depth} of {@code segs}; all must exist. */
    private Node[] chain(String[] segs, int depth, String path) {
        Node[] chain = new Node[depth + 1];
        chain[0] = root;
        for (int i = 0; i < depth; i++) {
            chain[i + 1] = chain[i].children.get(segs[i]);
            if (chain[i + 1] == null) {
                throw new IllegalStateException("restoring " + path + ": its parent does not exist");
            }
        }
        return chain;
    }

    /** Puts {@code changed}, the new version of {@code chain[depth]}, in the tree: its ancestors are copied. */
    private void linkUp(Node[] chain, int depth, Node changed) {
        Node n = changed;
        for (int d = depth - 1; d >= 0; d--) {
            Node p = chain[d];
            n = p.withChildrenKeepingStamps(p.children.with(n));
        }
        root = n;
    }
}
