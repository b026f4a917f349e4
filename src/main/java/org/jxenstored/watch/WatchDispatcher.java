package org.jxenstored.watch;

import org.jxenstored.store.Access;
import org.jxenstored.store.ChangeSink;
import org.jxenstored.store.Node;
import org.jxenstored.store.Paths;
import org.jxenstored.store.Perms;
import org.jxenstored.store.Tree;
import org.jxenstored.protocol.XsMessage;

/**
 * Turns the store's changes into WATCH_EVENTs. An unprivileged watcher hears of a change only if it may read the
 * node or its parent, or could read the node before a permission change (XSA-115), as C xenstored decides.
 */
public final class WatchDispatcher implements ChangeSink {
    private final WatchIndex index;
    private final Tree live;

    public WatchDispatcher(WatchIndex index, Tree live) {
        this.index = index;
        this.live = live;
    }

    public WatchIndex index() {
        return index;
    }

    @Override
    public void changed(String path, Node node, Perms oldPerms) {
        index.forEachMatch(path, (w, eventPath) -> {
            if (permitted(w.owner, path, node, oldPerms)) {
                deliver(w, eventPath);
            }
        });
    }

    @Override
    public void removed(String path, Node subtree) {
        index.forEachMatch(path, (w, eventPath) -> {
            if (permitted(w.owner, path, subtree, null)) {
                deliver(w, eventPath);
            }
        });
        index.forEachInsideRemoved(path, subtree, (w, eventPath) -> {
            if (w.owner.privileged()) {
                deliver(w, eventPath);
            } else if (permitted(w.owner, eventPath, Tree.lookup(subtree, relativeTo(path, eventPath)), null)) {
                deliver(w, eventPath);
            }
        });
    }

    /** Fires a special watch path such as {@code @introduceDomain} or {@code @releaseDomain/7}. */
    public void fireSpecial(String specialPath, Perms specialPerms) {
        index.forEachMatch(specialPath, (w, eventPath) -> {
            if (specialPerms == null ? w.owner.privileged() : Access.allows(w.owner, specialPerms, Perms.READ)) {
                deliver(w, eventPath);
            }
        });
    }

    private static void deliver(Watch w, String eventPath) {
        if (w.eventSize(eventPath.length()) > XsMessage.PAYLOAD_MAX) {
            return; // never emit an oversized event (XSA-324)
        }
        w.owner.sendEvent(w.eventPayload(eventPath));
    }

    /** {@code path} inside a removed subtree rooted at {@code top}, as a path from that subtree's root. */
    private static String relativeTo(String top, String path) {
        return path.length() == top.length() ? "/" : path.substring(top.length() == 1 ? 0 : top.length());
    }

    private boolean permitted(Watcher watcher, String path, Node node, Perms oldPerms) {
        if (watcher.privileged()) {
            return true;
        }
        if (oldPerms != null && Access.allows(watcher, oldPerms, Perms.READ)) {
            return true;
        }
        if (node != null && Access.allows(watcher, node.perms(), Perms.READ)) {
            return true;
        }
        if (path.length() <= 1) {
            return false;
        }
        Node parent = live.get(Paths.parent(path));
        return parent != null && Access.allows(watcher, parent.perms(), Perms.READ);
    }
}
