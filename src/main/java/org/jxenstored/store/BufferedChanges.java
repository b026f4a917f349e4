package org.jxenstored.store;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Collects the paths a commit changes, then reports each once, in the order of its first change, by comparing the
 * tree before and after the commit (as C xenstored does): a node that exists afterwards is "changed", one that
 * existed only before is "removed", and one created and removed within the transaction is not reported.
 */
final class BufferedChanges implements ChangeSink {
    private final Set<String> paths = new LinkedHashSet<>();

    @Override
    public void changed(String path, Node node, Perms oldPerms) {
        paths.add(path);
    }

    @Override
    public void removed(String path, Node subtree) {
        paths.add(path);
    }

    void reportTo(ChangeSink sink, Node before, Node after) {
        for (String path : paths) {
            Node now = Tree.lookup(after, path);
            Node was = Tree.lookup(before, path);
            if (now != null) {
                Perms oldPerms = was != null && !was.perms.equals(now.perms) ? was.perms : null;
                sink.changed(path, now, oldPerms);
            } else if (was != null) {
                sink.removed(path, was);
            }
        }
    }
}
