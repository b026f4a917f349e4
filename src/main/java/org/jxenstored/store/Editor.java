package org.jxenstored.store;

import org.jxenstored.protocol.XsError;

/**
 * The permission-checked changes of the protocol, applied to one {@link Tree}. Requests outside a transaction edit
 * the live tree through this; a transaction edits its private view, and its commit replays the same calls on the
 * live tree, so a change is judged by one set of rules whichever way it arrives.
 */
public final class Editor {
    private Editor() {
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
                q.checkNodeSize(caller,
                        value.length + existing.perms.accountedSize() + existing.childNamesInOrder().length);
                if (value.length > existing.value.length) {
                    q.beforeGrowth(caller, tree.ledger(), existing.perms.owner(), value.length - existing.value.length);
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

    /** The quotas a creation must respect: the owner's node count and memory, the sizes of the new node and its parent. */
    private static void checkCreation(Tree tree, Caller caller, String path, Node ancestor, int valueLength) {
        Quota q = tree.quota();
        if (!q.applies(caller)) {
            return;
        }
        Perms perms = caller.privileged() ? ancestor.perms : ancestor.perms.withOwner(caller.domid());
        int created = tree.missingSegments(path);
        long bytes = valueLength + (long) created * perms.accountedSize() + path.length();
        q.beforeCreate(caller, tree.ledger(), perms.owner(), created, bytes);
        q.checkNodeSize(caller, valueLength + perms.accountedSize());
        String[] segs = Paths.segments(path);
        String firstNew = segs[segs.length - created];
        q.checkNodeSize(caller, ancestor.value.length + ancestor.perms.accountedSize()
                + ancestor.childNamesInOrder().length + firstNew.length() + 1);
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
            q.checkNodeSize(caller,
                    existing.value.length + perms.accountedSize() + existing.childNamesInOrder().length);
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
