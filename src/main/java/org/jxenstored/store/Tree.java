package org.jxenstored.store;

import java.util.ArrayDeque;

/**
 * A mutable handle on an immutable tree: every change copies the nodes from the changed one up to the root and
 * swaps {@link #root()}. Both the live store and every transaction's private view are a {@code Tree}; taking a
 * snapshot is copying the root reference. Walks are iterative: depth is guest-controlled (XSA-418).
 *
 * <p>Paths given here are canonical and valid (see {@link Paths}); permission and quota checks are the caller's.
 */
public final class Tree {
    private final Stamps stamps;
    private final Ledger ledger;
    private final Quota quota;
    private Node root;
    /** Estimated bytes of old node versions this tree's changes have replaced: what snapshots may keep alive. */
    private long retiredBytes;

    /** What a changed node's ancestors cost when copied (an object and a slice of its child map each). */
    static final int COPY_BYTES_PER_LEVEL = 96;

    public Tree(Node root, Stamps stamps) {
        this(root, stamps, Ledger.NONE, Quota.NONE);
    }

    /**
     * @param ledger hears of every change of ownership and size
     * @param quota what {@link Editor} checks before changing this tree
     */
    public Tree(Node root, Stamps stamps, Ledger ledger, Quota quota) {
        this.root = root;
        this.stamps = stamps;
        this.ledger = ledger;
        this.quota = quota;
    }

    public Ledger ledger() {
        return ledger;
    }

    public Quota quota() {
        return quota;
    }

    /** The initial tree of C xenstored: {@code /}, {@code /tool} and {@code /tool/xenstored}, all owned by Dom0. */
    public static Node initialRoot(Stamps stamps) {
        Tree t = new Tree(Node.create("", null, Perms.DOM0_ONLY, stamps.next()), stamps);
        t.write("/tool/xenstored", new byte[0], 0, false);
        return t.root;
    }

    public Node root() {
        return root;
    }

    public void setRoot(Node root) {
        this.root = root;
    }

    public Stamps stamps() {
        return stamps;
    }

    /**
     * Estimated bytes of node versions replaced or removed by this tree's changes so far (values, names,
     * permissions, copied ancestors). A snapshot taken when this was {@code b} keeps at most
     * {@code retiredBytes() - b} of them alive; an over-estimate, since a node replaced twice is kept once.
     */
    public long retiredBytes() {
        return retiredBytes;
    }

    /** Adds what another tree, whose result became this one, retired (a commit's replay). */
    void addRetired(long bytes) {
        retiredBytes += bytes;
    }

    /** The node at {@code path}, or null. */
    public Node get(String path) {
        return lookup(root, path);
    }

    /** The node at {@code path} in the tree rooted at {@code root}, or null. */
    public static Node lookup(Node root, String path) {
        Node n = root;
        int len = path.length();
        int start = 1;
        while (start < len && n != null) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = len;
            }
            n = n.children.get(path, start, end);
            start = end + 1;
        }
        return n;
    }

    /**
     * Whether the trees rooted at {@code a} and {@code b} hold the same nodes along {@code path}: every node on the
     * way has the same version in both, or is absent from both. With {@code subtree}, the node at {@code path} must
     * moreover be the very same object, so that nothing below it differs either (a change below copies it).
     */
    static boolean sameAlong(Node a, Node b, String path, boolean subtree) {
        int len = path.length();
        int start = 1;
        while (true) {
            if (a == b) {
                return true;
            }
            if (a == null || b == null || a.generation != b.generation || a.createSeq != b.createSeq) {
                return false;
            }
            if (start >= len) {
                return !subtree;
            }
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = len;
            }
            a = a.children.get(path, start, end);
            b = b.children.get(path, start, end);
            start = end + 1;
        }
    }

    /** The deepest existing node on the way to {@code path} (the node itself when it exists). */
    public Node nearestExisting(String path) {
        Node n = root;
        int len = path.length();
        int start = 1;
        while (start < len) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = len;
            }
            Node c = n.children.get(path, start, end);
            if (c == null) {
                return n;
            }
            n = c;
            start = end + 1;
        }
        return n;
    }

    /** How many segments of {@code path} do not exist (0 when the node exists). */
    public int missingSegments(String path) {
        Node n = root;
        int len = path.length();
        int start = 1;
        int missing = 0;
        boolean found = true;
        while (start < len) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = len;
            }
            if (found) {
                Node c = n.children.get(path, start, end);
                if (c == null) {
                    found = false;
                } else {
                    n = c;
                }
            }
            if (!found) {
                missing++;
            }
            start = end + 1;
        }
        return missing;
    }

    /**
     * Sets the value of {@code path}, creating it and any missing ancestors (with empty values).
     *
     * @param creator the domain creating nodes
     * @param creatorOwns whether created nodes are owned by the creator (unprivileged domains) or keep the
     *     parent's owner (privileged ones), as C xenstored does
     * @return the number of nodes created
     */
    public int write(String path, byte[] value, int creator, boolean creatorOwns) {
        return put(path, value, creator, creatorOwns, false);
    }

    /**
     * Creates {@code path} and missing ancestors with empty values; an existing node is left alone.
     *
     * @return the number of nodes created (0 when it existed)
     */
    public int mkdir(String path, int creator, boolean creatorOwns) {
        return put(path, null, creator, creatorOwns, true);
    }

    private int put(String path, byte[] value, int creator, boolean creatorOwns, boolean keepExisting) {
        String[] segs = Paths.segments(path);
        Node[] chain = new Node[segs.length + 1];
        chain[0] = root;
        int existing = 0;
        while (existing < segs.length) {
            Node c = chain[existing].children.get(segs[existing]);
            if (c == null) {
                break;
            }
            chain[++existing] = c;
        }
        long stamp = stamps.next();
        if (existing == segs.length) {
            if (keepExisting) {
                return 0;
            }
            Node target = chain[segs.length];
            Node changed = target.withValue(value, stamp);
            retiredBytes += target.accountedBytes() + (long) segs.length * COPY_BYTES_PER_LEVEL;
            ledger.add(target.perms.owner(), 0, changed.accountedBytes() - target.accountedBytes());
            replaceUpwards(chain, segs.length, changed, false, stamp);
            return 0;
        }
        Perms parentPerms = chain[existing].perms;
        Perms perms = creatorOwns ? parentPerms.withOwner(creator) : parentPerms;
        Node sub = Node.create(segs[segs.length - 1], keepExisting ? null : value, perms, stamp);
        long bytes = sub.accountedBytes();
        for (int depth = segs.length - 1; depth > existing; depth--) {
            Node parent = Node.create(segs[depth - 1], null, perms, stamp);
            bytes += parent.accountedBytes();
            sub = parent.withChildren(Children.EMPTY.with(sub), stamp);
        }
        ledger.add(perms.owner(), segs.length - existing, bytes);
        retiredBytes += (long) (existing + 1) * COPY_BYTES_PER_LEVEL;
        replaceUpwards(chain, existing + 1, sub, true, stamp);
        return segs.length - existing;
    }

    /**
     * Removes {@code path} and its subtree.
     *
     * @return the removed subtree, or null when there was no such node
     */
    public Node remove(String path) {
        String[] segs = Paths.segments(path);
        if (segs.length == 0) {
            throw new IllegalArgumentException("the root cannot be removed");
        }
        Node[] chain = new Node[segs.length + 1];
        chain[0] = root;
        for (int i = 0; i < segs.length; i++) {
            chain[i + 1] = chain[i].children.get(segs[i]);
            if (chain[i + 1] == null) {
                return null;
            }
        }
        long stamp = stamps.next();
        Node parent = chain[segs.length - 1];
        Node newParent = parent.withChildren(parent.children.without(segs[segs.length - 1]), stamp);
        replaceUpwards(chain, segs.length - 1, newParent, false, stamp);
        retiredBytes += (long) segs.length * COPY_BYTES_PER_LEVEL;
        if (ledger != Ledger.NONE) {
            retiredBytes += credit(chain[segs.length]);
        }
        return chain[segs.length];
    }

    /**
     * Credits every owner in a removed subtree (iteratively: depth is guest-controlled).
     *
     * @return the subtree's bytes
     */
    private long credit(Node subtree) {
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(subtree);
        long bytes = 0;
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            ledger.add(n.perms.owner(), -1, -n.accountedBytes());
            bytes += n.accountedBytes();
            n.children.forEach(stack::push);
        }
        return bytes;
    }

    /** Replaces the permissions of an existing node; false when there is no such node. */
    public boolean setPerms(String path, Perms perms) {
        String[] segs = Paths.segments(path);
        Node[] chain = new Node[segs.length + 1];
        chain[0] = root;
        for (int i = 0; i < segs.length; i++) {
            chain[i + 1] = chain[i].children.get(segs[i]);
            if (chain[i + 1] == null) {
                return false;
            }
        }
        long stamp = stamps.next();
        Node old = chain[segs.length];
        Node changed = old.withPerms(perms, stamp);
        retiredBytes += old.accountedBytes() + (long) segs.length * COPY_BYTES_PER_LEVEL;
        ledger.add(old.perms.owner(), -1, -old.accountedBytes());
        ledger.add(perms.owner(), 1, changed.accountedBytes());
        replaceUpwards(chain, segs.length, changed, false, stamp);
        return true;
    }

    /**
     * Puts {@code changed} at {@code depth} of the path and copies its ancestors. When the child is new, its parent's
     * child set changes (a new generation for the parent); above that, only references change.
     */
    private void replaceUpwards(Node[] chain, int depth, Node changed, boolean added, long stamp) {
        Node n = changed;
        for (int d = depth - 1; d >= 0; d--) {
            Node parent = chain[d];
            if (added && d == depth - 1) {
                n = parent.withChildren(parent.children.with(n), stamp);
            } else {
                n = parent.withChildReplaced(n);
            }
        }
        root = n;
    }
}
