package org.jxenstored.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One immutable node of the tree. A change makes a new node (and new ancestors, see {@link Tree}); the old one stays
 * valid for every snapshot that holds it.
 *
 * <p>Name and value share one array ({@link #data}): a million-node store pays one object per node for both instead
 * of three (a {@code String}, its bytes, the value), about 60 bytes a node. Names are ISO-8859-1, one byte a char,
 * as they came on the wire (paths are ASCII, see {@link Paths}).
 */
public final class Node {
    private static final Comparator<Node> CREATION_ORDER = Comparator.comparingLong(n -> n.createSeq);
    /** The name's length is kept in the first two bytes of {@link #data}. */
    private static final int NAME_AT = 2;
    static final int MAX_NAME_LENGTH = 0xFFFF;

    /** The name's length (2 bytes, big-endian), the name, then the value. Shared between versions of one value. */
    final byte[] data;
    final Perms perms;
    final Children children;
    /** Store-wide unique stamp of this node's last change of value, permissions or child set. */
    final long generation;
    /** Store-wide creation stamp: siblings are listed in this order, as C xenstored lists them. */
    final long createSeq;

    Node(byte[] data, Perms perms, Children children, long generation, long createSeq) {
        this.data = data;
        this.perms = perms;
        this.children = children;
        this.generation = generation;
        this.createSeq = createSeq;
    }

    /** A node made from its parts (a restored tree); {@code value} null means empty. */
    static Node of(String name, byte[] value, Perms perms, Children children, long generation, long createSeq) {
        return new Node(data(name, value), perms, children, generation, createSeq);
    }

    static Node create(String name, byte[] value, Perms perms, long stamp) {
        return of(name, value, perms, Children.EMPTY, stamp, stamp);
    }

    private static byte[] data(String name, byte[] value) {
        int n = name.length();
        if (n > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("node name of " + n + " chars");
        }
        int v = value == null ? 0 : value.length;
        byte[] d = new byte[NAME_AT + n + v];
        d[0] = (byte) (n >>> 8);
        d[1] = (byte) n;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException("node name with a char above U+00FF");
            }
            d[NAME_AT + i] = (byte) c;
        }
        if (v > 0) {
            System.arraycopy(value, 0, d, NAME_AT + n, v);
        }
        return d;
    }

    Node withValue(byte[] newValue, long stamp) {
        int nameEnd = NAME_AT + nameLength();
        int v = newValue == null ? 0 : newValue.length;
        byte[] d = Arrays.copyOf(data, nameEnd + v);
        if (v > 0) {
            System.arraycopy(newValue, 0, d, nameEnd, v);
        }
        return new Node(d, perms, children, stamp, createSeq);
    }

    Node withPerms(Perms newPerms, long stamp) {
        return new Node(data, newPerms, children, stamp, createSeq);
    }

    Node withChildren(Children newChildren, long stamp) {
        return new Node(data, perms, newChildren, stamp, createSeq);
    }

    /** This version with another child set, keeping its stamps (a restored tree's ancestors). */
    Node withChildrenKeepingStamps(Children newChildren) {
        return new Node(data, perms, newChildren, generation, createSeq);
    }

    /** Replaces one child by a changed version of itself: not a change of the child set, so no new generation. */
    Node withChildReplaced(Node child) {
        return new Node(data, perms, children.withNewVersion(child), generation, createSeq);
    }

    int nameLength() {
        return ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
    }

    /** The last path segment; the empty string for the root. A new string at each call. */
    public String name() {
        return new String(data, NAME_AT, nameLength(), StandardCharsets.ISO_8859_1);
    }

    /** {@code String.hashCode()} of the name, without making the string. */
    int nameHash() {
        int h = 0;
        int end = NAME_AT + nameLength();
        for (int i = NAME_AT; i < end; i++) {
            h = 31 * h + (data[i] & 0xFF);
        }
        return h;
    }

    /** Whether the name equals {@code s.substring(start, end)}. */
    boolean nameEquals(String s, int start, int end) {
        int n = nameLength();
        if (n != end - start) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((data[NAME_AT + i] & 0xFF) != s.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }

    boolean sameName(Node other) {
        int n = nameLength();
        return Arrays.equals(data, NAME_AT, NAME_AT + n, other.data, NAME_AT, NAME_AT + other.nameLength());
    }

    /** Copies the name, NUL-terminated, into {@code out} at {@code pos}; returns the position after the NUL. */
    int putNameNul(byte[] out, int pos) {
        int n = nameLength();
        System.arraycopy(data, NAME_AT, out, pos, n);
        out[pos + n] = 0;
        return pos + n + 1;
    }

    /** A copy of the value. */
    public byte[] value() {
        return Arrays.copyOfRange(data, NAME_AT + nameLength(), data.length);
    }

    public int valueLength() {
        return data.length - NAME_AT - nameLength();
    }

    /** Puts the value into {@code buf} (which must have room for it). */
    public void putValue(ByteBuffer buf) {
        int at = NAME_AT + nameLength();
        buf.put(data, at, data.length - at);
    }

    /** Whether {@code other} holds the very same value object (a version that did not change the value). */
    boolean sameValueAs(Node other) {
        return data == other.data;
    }

    public Perms perms() {
        return perms;
    }

    public long generation() {
        return generation;
    }

    /** Bytes this node costs its owner: name, value and permissions (its children are charged on their own). */
    public long accountedBytes() {
        return data.length - NAME_AT + perms.accountedSize();
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
        byte[] l = children.listing;
        if (l == null) {
            Node[] ordered = childrenInOrder();
            int len = 0;
            for (Node n : ordered) {
                len += n.nameLength() + 1;
            }
            l = new byte[len];
            int pos = 0;
            for (Node n : ordered) {
                pos = n.putNameNul(l, pos);
            }
            children.listing = l;
        }
        return l;
    }
}
