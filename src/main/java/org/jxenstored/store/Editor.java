package org.jxenstored.store;

import org.jxenstored.protocol.XsError;

/**
 * The permission-checked changes of the protocol, applied to one {@link Tree}. Requests outside a transaction edit
 * the live tree through this; a transaction edits its private view, and its commit replays the same calls on the
 * live tree, so a change is judged by one set of rules whichever way it arrives.
 */
public final class Editor {
    /** C 4.22's {@code struct node_hdr}: generation (8 bytes), permission count (2), value length (2), children (4). */
    static final int NODE_HEADER_BYTES = 16;

    private Editor() {
    }

    /**
     * A node's size for the {@code node-size} quota, as C xenstored 4.22 computes it ({@code calc_node_acc_size}):
     * its record in the store, header, permissions (8 bytes each), value and child names (each NUL-terminated).
     */
    public static long recordSize(Perms perms, int valueLength, int childNamesLength) {
        return NODE_HEADER_BYTES + perms.recordSize() + (long) valueLength + childNamesLength;
    }

    /** WRITE: sets the value, creating the node and missing ancestors. */
    public static void write(Tree tree, Caller caller, String path, byte[] value, ChangeSink sink) {
        Node existing = tree.get(path);
        if (existing != null) {
            if (!Access.allows(caller, existing.perms, Perms.WRITE)) {
                throw XsError.EACCES.exception();
            }
            Quota q = tree.quota();
            if (q.applies(caller)) {
                q.checkNodeSize(caller, recordSize(existing.perms, value.length, existing.childNamesInOrder().length));
                if (value.length > existing.valueLength()) {
                    q.beforeGrowth(caller, tree.ledger(), existing.perms.owner(), value.length - existing.valueLength());
                }
            }
            tree.write(path, value, caller.domid(), !caller.privileged());
        } else {
            Node ancestor = requireWritableAncestor(tree, caller, path);
            checkCreation(tree, caller, path, ancestor, value.length);
            tree.write(path, value, caller.domid(), !caller.privileged());
        }
        sink.changed(path, tree.get(path), null);
    }

    /**
     * The quotas a creation must respect: the owner's node count and memory, and the size of every node it writes
     * (as C, which writes them bottom up): the new node, each new ancestor (one child name), and the existing
     * ancestor that gains a child.
     */
    private static void checkCreation(Tree tree, Caller caller, String path, Node ancestor, int valueLength) {
        Quota q = tree.quota();
        if (!q.applies(caller)) {
            return;
        }
        Perms perms = caller.privileged() ? ancestor.perms : ancestor.perms.withOwner(caller.domid());
        int created = tree.missingSegments(path);
        long bytes = valueLength + (long) created * perms.accountedSize() + path.length();
        q.beforeCreate(caller, tree.ledger(), perms.owner(), created, bytes);
        String[] segs = Paths.segments(path);
        q.checkNodeSize(caller, recordSize(perms, valueLength, 0));
        for (int i = segs.length - 1; i > segs.length - created; i--) {
            q.checkNodeSize(caller, recordSize(perms, 0, segs[i].length() + 1));
        }
        String firstNew = segs[segs.length - created];
        q.checkNodeSize(caller, recordSize(ancestor.perms, ancestor.valueLength(),
                ancestor.childNamesInOrder().length + firstNew.length() + 1));
    }

    /** MKDIR: creates the node and missing ancestors; an existing node is fine and unchanged. */
    public static void mkdir(Tree tree, Caller caller, String path, ChangeSink sink) {
        Node existing = tree.get(path);
        if (existing != null) {
            if (!Access.allows(caller, existing.perms, Perms.WRITE)) {
                throw XsError.EACCES.exception();
            }
            return;
        }
        Node ancestor = requireWritableAncestor(tree, caller, path);
        checkCreation(tree, caller, path, ancestor, 0);
        tree.mkdir(path, caller.domid(), !caller.privileged());
        sink.changed(path, tree.get(path), null);
    }

    /**
     * RM: removes the node and its subtree. A missing node is fine when its parent exists; removing the root is
     * EINVAL.
     */
    public static void remove(Tree tree, Caller caller, String path, ChangeSink sink) {
        Node existing = tree.get(path);
        if (existing == null) {
            Node ancestor = tree.nearestExisting(path);
            if (!Access.allows(caller, ancestor.perms, Perms.READ)) {
                throw XsError.EACCES.exception();
            }
            if (path.length() > 1 && tree.get(Paths.parent(path)) != null) {
                return;
            }
            throw XsError.ENOENT.exception();
        }
        if (!Access.allows(caller, existing.perms, Perms.WRITE)) {
            throw XsError.EACCES.exception();
        }
        if (path.length() == 1) {
            throw XsError.EINVAL.exception();
        }
        Node removed = tree.remove(path);
        sink.removed(path, removed);
    }

    /** SET_PERMS: only the owner (or a privileged caller) may, and only a privileged caller may change the owner. */
    public static void setPerms(Tree tree, Caller caller, String path, Perms perms, ChangeSink sink) {
        Node existing = Access.require(tree, caller, path, Perms.WRITE);
        if (!Access.owns(caller, existing.perms)) {
            throw XsError.EACCES.exception();
        }
        if (!caller.privileged() && perms.owner() != existing.perms.owner()) {
            throw XsError.EPERM.exception();
        }
        Quota q = tree.quota();
        if (q.applies(caller)) {
            q.checkPermissions(caller, perms.size());
            q.checkNodeSize(caller, recordSize(perms, existing.valueLength(), existing.childNamesInOrder().length));
        }
        tree.setPerms(path, perms);
        sink.changed(path, tree.get(path), existing.perms);
    }

    private static Node requireWritableAncestor(Tree tree, Caller caller, String path) {
        Node ancestor = tree.nearestExisting(path);
        int mode = Access.modeFor(caller, ancestor.perms);
        if ((mode & Perms.WRITE) == 0) {
            throw XsError.EACCES.exception();
        }
        return ancestor;
    }
}
