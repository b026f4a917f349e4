package org.jxenstored.store;

import java.util.ArrayDeque;

/**
 * What a dead domain leaves behind in the tree (XSA-322/419): the nodes it owned are removed (or, when orphans are
 * kept, handed to Dom0), and permission entries naming it are dropped everywhere, so that a new domain reusing the
 * id inherits nothing. Iterative over a snapshot of the tree: depth is guest-controlled (XSA-418).
 */
public final class DomainCleanup {
    private DomainCleanup() {
    }

    /**
     * @param sink hears of removed nodes (watchers get their events, as C fires them)
     * @return the number of nodes removed or handed over
     */
    public static int forget(Tree tree, int domid, boolean keepOrphans, ChangeSink sink) {
        int affected = 0;
        ArrayDeque<Node> nodes = new ArrayDeque<>();
        ArrayDeque<String> paths = new ArrayDeque<>();
        nodes.push(tree.root());
        paths.push("/");
        while (!nodes.isEmpty()) {
            Node n = nodes.pop();
            String path = paths.pop();
            boolean isRoot = path.length() == 1;
            if (!isRoot && n.perms.owner() == domid) {
                affected++;
                if (!keepOrphans) {
                    Node removed = tree.remove(path);
                    if (removed != null) {
                        sink.removed(path, removed);
                    }
                    continue;
                }
                tree.setPerms(path, n.perms.withOwner(0).without(domid));
            } else if (n.perms.mentions(domid)) {
                tree.setPerms(path, n.perms.without(domid));
            }
            n.children.forEach(c -> {
                nodes.push(c);
                paths.push(Paths.join(path, c.name()));
            });
        }
        return affected;
    }
}
