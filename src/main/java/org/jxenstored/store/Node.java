package org.jxenstored.store;

import java.util.Arrays;
import java.util.Comparator;

/**
 * One immutable node of the tree. A change makes a new node (and new ancestors, see {@link Tree}); the old one stays
 * valid for every snapshot that holds it.
 */
public final class Node {
    private static final byte[] EMPTY = new byte[0];
    private static final Comparator<Node> CREATION_ORDER = Comparator.comparingLong(n -> n.createSeq);

    /** Last path segment; the empty string for the root. */
    final String name;
    final byte[] value;
    final Perms perms;
    final Children children;
    /** Store-wide unique stamp of this node's last change of value, permissions or child set. */
    final long generation;
    /** Store-wide creation stamp: siblings are listed in this order, as C xenstored lists them. */
    final long createSeq;

    /** DIRECTORY payload in creation order, built on first listing (store thread only). */
    private byte[] listing;

    Node(String name, byte[] value, Perms perms, Children children, long generation, long createSeq) {
        this.name = name;
        this.value = value;
        this.perms = perms;
        this.children = children;
        this.generation = generation;
        this.createSeq = createSeq;
    }

    static Node create(String name, byte[] value, Perms perms, long stamp) {
        return new Node(name, value == null ? EMPTY : value, perms, Children.EMPTY, stamp, stamp);
    }

    Node withValue(byte[] newValue, long stamp) {
        return new Node(name, newValue, perms, children, stamp, createSeq);
    }

    Node withPerms(Perms newPerms, long stamp) {
        return new Node(name, value, newPerms, children, stamp, createSeq);
    }

    Node withChildren(Children newChildren, long stamp) {
        return new Node(name, value, perms, newChildren, stamp, createSeq);
    }

    /** Replaces one child by a changed version of itself: not a change of the child set, so no new generation. */
    Node withChildReplaced(Node child) {
        Node n = new Node(name, value, perms, children.with(child), generation, createSeq);
        n.listing = listing; // same names, same order
        return n;
    }

    public String name() {
        return name;
    }

    /** The value. Shared: callers must not modify it. */
    public byte[] value() {
        return value;
    }

    public Perms perms() {
        return perms;
    }

    public long generation() {
        return generation;
    }

    /** Bytes this node costs its owner: name, value and permissions (its children are charged on their own). */
    public long accountedBytes() {
        return name.length() + value.length + perms.accountedSize();
    }

    /** Store-wide creation stamp: siblings are ordered by it. */
    public long creationStamp() {
        return createSeq;
    }

    public int childCount() {
        return children.size();
    }

    public Node child(String childName) {
        return children.get(childName);
    }

    /** Children in creation order. */
    public Node[] childrenInOrder() {
        Node[] all = children.toArray();
        Arrays.sort(all, CREATION_ORDER);
        return all;
    }

    /** The DIRECTORY payload: child names in creation order, each NUL-terminated. Shared: do not modify. */
    public byte[] childNamesInOrder() {
        byte[] l = listing;
        if (l == null) {
            Node[] ordered = childrenInOrder();
            int len = 0;
            for (Node n : ordered) {
                len += n.name.length() + 1;
            }
            l = new byte[len];
            int pos = 0;
            for (Node n : ordered) {
                for (int i = 0; i < n.name.length(); i++) {
                    l[pos++] = (byte) n.name.charAt(i);
                }
                pos++;
            }
            listing = l;
        }
        return l;
    }
}
