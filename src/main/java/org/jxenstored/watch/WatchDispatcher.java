package org.jxenstored.watch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.store.Access;
import org.jxenstored.store.ChangeSink;
import org.jxenstored.store.Node;
import org.jxenstored.store.Paths;
import org.jxenstored.store.Perms;
import org.jxenstored.store.Tree;

/**
 * Turns the store's changes into WATCH_EVENTs, the way C xenstored sends them: for one change, each connection
 * gets its matching watches' events in registration order, and at most one event per token. An unprivileged
 * watcher hears of a change only if it may read the node or its parent, or could read the node before a
 * permission change (XSA-115).
 */
public final class WatchDispatcher implements ChangeSink {
    private final WatchIndex index;
    private final Tree live;
    /** The matches of the change being dispatched; reused, store thread only. */
    private final List<Watch> matches = new ArrayList<>();

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
                matches.add(w);
            }
        });
        deliverMatches(path);
    }

    /**
     * A removal fires, children first, the watches exactly on every removed node below the top, each with its own
     * path; then the watches on the removed node and its ancestors, as any change does.
     */
    @Override
    public void removed(String path, Node subtree) {
        index.forEachInsideRemoved(path, subtree, (w, eventPath, removedNode) -> {
            if (w.owner.privileged() || permitted(w.owner, eventPath, removedNode, null)) {
                matches.add(w);
                deliverMatches(eventPath);
            }
        });
        index.forEachMatch(path, (w, eventPath) -> {
            if (permitted(w.owner, path, subtree, null)) {
                matches.add(w);
            }
        });
        deliverMatches(path);
    }

    /**
     * A commit's removed node: the watches exactly on it fire (with any depth); unless {@code exact}, so do the
     * watches on its ancestors whose depth reaches it.
     */
    @Override
    public void gone(String path, Node node, boolean exact) {
        if (exact) {
            index.forEachOn(path, w -> {
                if (permitted(w.owner, path, node, null)) {
                    matches.add(w);
                }
            });
        } else {
            index.forEachMatch(path, (w, eventPath) -> {
                if (permitted(w.owner, path, node, null)) {
                    matches.add(w);
                }
            });
        }
        deliverMatches(path);
    }

    /**
     * Fires a domain event: {@code @introduceDomain} or {@code @releaseDomain} for {@code domid}. Watches on the
     * special path itself report it plainly, or as {@code <special>/<domid>} when set with depth 1; watches on
     * {@code <special>/<domid>} hear of that domain only. Only privileged watchers and domains the special node's
     * permissions let read hear of it (XSA-115).
     */
    public void fireDomainEvent(String special, Perms specialPerms, int domid) {
        String withDomid = special + "/" + Integer.toUnsignedString(domid);
        index.forEachMatch(withDomid, (w, eventPath) -> {
            if (w.owner.privileged() || Access.allows(w.owner, specialPerms, Perms.READ)) {
                matches.add(w);
            }
        });
        int n = matches.size();
        if (n > 1) {
            matches.sort((a, b) -> Long.compare(a.seq, b.seq));
        }
        for (int i = 0; i < n; i++) {
            Watch w = matches.get(i);
            boolean plain = w.path.equals(special) && w.depth != 1;
            deliver(w, plain ? special : withDomid);
        }
        matches.clear();
    }

    private void deliverMatches(String eventPath) {
        int n = matches.size();
        if (n > 1) {
            matches.sort((a, b) -> Long.compare(a.seq, b.seq));
        }
        Set<OwnerToken> sent = n > SMALL ? new HashSet<>(n * 2) : null;
        for (int i = 0; i < n; i++) {
            Watch w = matches.get(i);
            boolean duplicate = sent == null ? duplicateToken(i) : !sent.add(new OwnerToken(w.owner, w.token));
            if (!duplicate) {
                deliver(w, eventPath);
            }
        }
        matches.clear();
    }

    /** Above this many matches, duplicate tokens are found with a hash set rather than by scanning. */
    private static final int SMALL = 8;

    private record OwnerToken(Watcher owner, String token) {
    }

    /** Whether an earlier match of this change already sent the same token to the same watcher. */
    private boolean duplicateToken(int i) {
        Watch w = matches.get(i);
        for (int j = 0; j < i; j++) {
            Watch earlier = matches.get(j);
            if (earlier.owner == w.owner && earlier.token.equals(w.token)) {
                return true;
            }
        }
        return false;
    }

    private static void deliver(Watch w, String eventPath) {
        if (w.eventSize(eventPath.length()) > XsMessage.PAYLOAD_MAX) {
            return; // never emit an oversized event (XSA-324)
        }
        w.owner.sendEvent(w.eventPayload(eventPath));
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
