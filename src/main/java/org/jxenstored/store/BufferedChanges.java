package org.jxenstored.store;

import java.util.ArrayList;
import java.util.List;

/** Holds a commit's changes until it is certain to succeed, then reports them in order. */
final class BufferedChanges implements ChangeSink {
    private record Change(String path, Node node, Perms oldPerms, boolean removal) {
    }

    private final List<Change> changes = new ArrayList<>();

    @Override
    public void changed(String path, Node node, Perms oldPerms) {
        changes.add(new Change(path, node, oldPerms, false));
    }

    @Override
    public void removed(String path, Node subtree) {
        changes.add(new Change(path, subtree, null, true));
    }

    void replayTo(ChangeSink sink) {
        for (Change c : changes) {
            if (c.removal) {
                sink.removed(c.path, c.node);
            } else {
                sink.changed(c.path, c.node, c.oldPerms);
            }
        }
    }
}
