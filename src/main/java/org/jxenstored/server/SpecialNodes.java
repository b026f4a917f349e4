package org.jxenstored.server;

import java.util.HashMap;
import java.util.Map;
import org.jxenstored.store.Perms;

/**
 * The special nodes {@code @introduceDomain} and {@code @releaseDomain}: not part of the tree, but with permissions
 * (SET_PERMS) that decide which unprivileged domains hear of those events.
 */
public final class SpecialNodes {
    public static final String INTRODUCE_DOMAIN = "@introduceDomain";
    public static final String RELEASE_DOMAIN = "@releaseDomain";

    private final Map<String, Perms> perms = new HashMap<>();

    public SpecialNodes() {
        perms.put(INTRODUCE_DOMAIN, Perms.DOM0_ONLY);
        perms.put(RELEASE_DOMAIN, Perms.DOM0_ONLY);
    }

    public static boolean isSpecialNode(String path) {
        return INTRODUCE_DOMAIN.equals(path) || RELEASE_DOMAIN.equals(path);
    }

    public Perms perms(String special) {
        return perms.get(special);
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
