package org.jxenstored.store;

import org.jxenstored.protocol.XsError;

/** The permission rules of C xenstored ({@code perm_for_conn}, {@code errno_from_parents}). */
public final class Access {
    private Access() {
    }

    /** The access {@code caller} has to a node with {@code perms}: a {@link Perms} mode. */
    public static int modeFor(Caller caller, Perms perms) {
        if (caller.privileged() || names(caller, perms.owner())) {
            return Perms.BOTH;
        }
        for (int i = 1; i < perms.size(); i++) {
            if (!perms.ignored(i) && names(caller, perms.domid(i))) {
                return perms.mode(i);
            }
        }
        return perms.mode(0);
    }

    /** Whether a permission entry for {@code domid} applies to the caller: itself, its target, or DOMID_ANY. */
    private static boolean names(Caller caller, int domid) {
        return domid == caller.domid() || domid == Domids.ANY
                || (caller.target() != Caller.NO_TARGET && domid == caller.target());
    }

    public static boolean allows(Caller caller, Perms perms, int mode) {
        return (modeFor(caller, perms) & mode) == mode;
    }

    /** Whether {@code caller} owns (or is privileged over) a node with these permissions. */
    public static boolean owns(Caller caller, Perms perms) {
        return caller.privileged() || names(caller, perms.owner());
    }

    /**
     * The existing node at {@code path}, checked for {@code mode}. A missing node is ENOENT only when the caller
     * may read its nearest existing ancestor, else EACCES: existence must not leak.
     */
    public static Node require(Tree tree, Caller caller, String path, int mode) {
        Node n = tree.get(path);
        if (n == null) {
            Node ancestor = tree.nearestExisting(path);
            throw (allows(caller, ancestor.perms, Perms.READ) ? XsError.ENOENT : XsError.EACCES).exception();
        }
        if (!allows(caller, n.perms, mode)) {
            throw XsError.EACCES.exception();
        }
        return n;
    }
}
