package org.jxenstored.server;

import java.util.HashMap;
import java.util.Map;
import org.jxenstored.protocol.XsError;
import org.jxenstored.store.Access;
import org.jxenstored.store.Caller;
import org.jxenstored.store.Domids;
import org.jxenstored.store.Perms;
import org.jxenstored.store.Tree;

/**
 * The special nodes {@code @introduceDomain} and {@code @releaseDomain}: not part of the tree, but with permissions
 * (GET_PERMS, SET_PERMS) that decide which unprivileged domains hear of those events. Their initial permissions are
 * Xen 4.22's: {@code @introduceDomain} is Dom0's ({@code n0}); {@code @releaseDomain} may be read by every domain
 * ({@code n0 r32757}, DOMID_ANY), so that a guest that shares nodes with another can tell when it goes away.
 */
public final class SpecialNodes {
    public static final String INTRODUCE_DOMAIN = "@introduceDomain";
    public static final String RELEASE_DOMAIN = "@releaseDomain";
    private static final Perms INTRODUCE_DEFAULT = Perms.DOM0_ONLY;
    private static final Perms RELEASE_DEFAULT = Perms.DOM0_ONLY.withReader(Domids.ANY);

    private final Map<String, Perms> perms = new HashMap<>();

    public SpecialNodes() {
        perms.put(INTRODUCE_DOMAIN, INTRODUCE_DEFAULT);
        perms.put(RELEASE_DOMAIN, RELEASE_DEFAULT);
    }

    public static boolean isSpecialNode(String path) {
        return INTRODUCE_DOMAIN.equals(path) || RELEASE_DOMAIN.equals(path);
    }

    public Perms perms(String special) {
        return perms.get(special);
    }

    /**
     * The permissions of special node {@code path} for a request needing {@code mode} (GET_PERMS: read, SET_PERMS:
     * write): EACCES if the caller lacks it. An {@code @} path that names no special node is missing, and answers
     * as C answers for a missing node: ENOENT if the caller may access its nearest existing ancestor (by C's rule
     * for {@code @} paths: {@code @releaseDomain} for {@code @releaseDomain/5}, the root for {@code @foo}), else
     * EACCES.
     */
    Perms require(Caller caller, String path, int mode, Tree tree) {
        Perms p = perms.get(path);
        if (p != null) {
            if (!Access.allows(caller, p, mode)) {
                throw XsError.EACCES.exception();
            }
            return p;
        }
        Perms ancestor = null;
        String name = path;
        while (ancestor == null) {
            int slash = name.lastIndexOf('/');
            if (slash <= 0) {
                ancestor = tree.root().perms();
            } else {
                name = name.substring(0, slash);
                ancestor = perms.get(name);
            }
        }
        throw ((Access.modeFor(caller, ancestor) & mode) != 0 ? XsError.ENOENT : XsError.EACCES).exception();
    }

    public void setPerms(String special, Perms p) {
        perms.put(special, p);
    }

    /**
     * Drops a dead or released domain's id from both permission lists, so that a new domain with the id does not hear
     * these events by inheritance (as C's domain_tree_remove does for them); if it was the owner, Dom0 is.
     */
    public void forget(int domid) {
        perms.replaceAll((special, p) -> (p.owner() == domid ? p.withOwner(0) : p).without(domid));
    }
}
