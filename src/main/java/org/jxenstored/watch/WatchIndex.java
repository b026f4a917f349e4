package org.jxenstored.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jxenstored.store.Node;

/**
 * All registered watches, in a trie over path segments. Finding the watches a change of {@code P} fires walks only
 * the segments of {@code P}: the cost is O(depth of P + matching watches), whatever the number of watches
 * registered elsewhere. Special paths ({@code @introduceDomain}, {@code @releaseDomain/5}) live in the same trie
 * under their first segment, which no ordinary path can produce (those start with {@code /}).
 */
public final class WatchIndex {
    /** One trie position; children and watches are created on demand and pruned when empty. */
    static final class TrieNode {
        final TrieNode parent;
        final String segment;
        Map<String, TrieNode> children;
        List<Watch> watches;

        TrieNode(TrieNode parent, String segment) {
            this.parent = parent;
            this.segment = segment;
        }

        TrieNode child(String seg) {
            return children == null ? null : children.get(seg);
        }

        boolean isEmpty() {
            return (children == null || children.isEmpty()) && (watches == null || watches.isEmpty());
        }
    }

    private final TrieNode root = new TrieNode(null, "");
    private int size;

    public int size() {
        return size;
    }

    public void add(Watch w) {
        TrieNode t = root;
        int len = w.path.length();
        int start = w.path.startsWith("/") ? 1 : 0;
        if (start == 1) {
            t = childOrCreate(t, "/");
        }
        while (start < len) {
            int end = w.path.indexOf('/', start);
            if (end < 0) {
                end = len;
            }
            t = childOrCreate(t, w.path.substring(start, end));
            start = end + 1;
        }
        if (t.watches == null) {
            t.watches = new ArrayList<>(2);
        }
        t.watches.add(w);
        w.home = t;
        size++;
    }

    /** Removes a watch from the index; removing one twice is harmless. */
    public void remove(Watch w) {
        TrieNode t = w.home;
        if (t == null) {
            return;
        }
        t.watches.remove(w);
        w.home = null;
        size--;
        while (t.parent != null && t.isEmpty()) {
            t.parent.children.remove(t.segment);
            t = t.parent;
        }
    }

    private static TrieNode childOrCreate(TrieNode t, String seg) {
        if (t.children == null) {
            t.children = new HashMap<>(4);
        }
        TrieNode c = t.children.get(seg);
        if (c == null) {
            c = new TrieNode(t, seg);
            t.children.put(seg, c);
        }
        return c;
    }

    /**
     * Calls {@code action} for every watch on {@code path} or one of its ancestors whose depth reaches it, with the
     * event path {@code path}.
     */
    public void forEachMatch(String path, BiConsumer<Watch, String> action) {
        int total = segmentCount(path);
        TrieNode t;
        int start;
        if (path.startsWith("/")) {
            t = root.child("/");
            start = 1;
        } else {
            t = root;
            start = 0;
        }
        int level = 0;
        int len = path.length();
        while (t != null) {
            if (t.watches != null) {
                for (int i = 0; i < t.watches.size(); i++) {
                    Watch w = t.watches.get(i);
                    if (w.reaches(total - level)) {
                        action.accept(w, path);
                    }
                }
            }
            if (start >= len) {
                break;
            }
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = len;
            }
            t = t.child(path.substring(start, end));
            start = end + 1;
            level++;
        }
    }

    /** Calls {@code action} for every watch registered on exactly {@code path}, whatever its depth. */
    public void forEachOn(String path, Consumer<Watch> action) {
        TrieNode t = path.length() == 1 ? root.child("/") : find(path);
        if (t != null && t.watches != null) {
            for (int i = 0; i < t.watches.size(); i++) {
                action.accept(t.watches.get(i));
            }
        }
    }

    /**
     * For a removed subtree at {@code path}: calls {@code action} for every watch registered strictly inside it on a
     * node that existed in {@code subtree}, children before parents (C's post-order), with the removed node. The
     * event path is the watch's own path. Iterative: the removed tree's depth is guest-controlled.
     */
    public void forEachInsideRemoved(String path, Node subtree, RemovedAction action) {
        TrieNode top = path.length() == 1 ? root.child("/") : find(path);
        if (top == null || top.children == null) {
            return;
        }
        // Two stacks: a pre-order walk pushes (trie, node) pairs onto 'out'; popping 'out' yields post-order.
        ArrayDeque<TrieNode> trieWork = new ArrayDeque<>();
        ArrayDeque<Node> nodeWork = new ArrayDeque<>();
        ArrayDeque<TrieNode> trieOut = new ArrayDeque<>();
        ArrayDeque<Node> nodeOut = new ArrayDeque<>();
        trieWork.push(top);
        nodeWork.push(subtree);
        while (!trieWork.isEmpty()) {
            TrieNode t = trieWork.pop();
            Node n = nodeWork.pop();
            if (t != top) {
                trieOut.push(t);
                nodeOut.push(n);
            }
            if (t.children != null) {
                // Push siblings in creation order so that popping 'out' visits them in creation order too.
                List<Object[]> present = new ArrayList<>(t.children.size());
                for (TrieNode child : t.children.values()) {
                    Node c = n.child(child.segment);
                    if (c != null) {
                        present.add(new Object[] {child, c});
                    }
                }
                present.sort((a, b) -> Long.compare(((Node) a[1]).creationStamp(), ((Node) b[1]).creationStamp()));
                for (Object[] pair : present) {
                    trieWork.push((TrieNode) pair[0]);
                    nodeWork.push((Node) pair[1]);
                }
            }
        }
        while (!trieOut.isEmpty()) {
            TrieNode t = trieOut.pop();
            Node n = nodeOut.pop();
            if (t.watches != null) {
                for (int i = 0; i < t.watches.size(); i++) {
                    Watch w = t.watches.get(i);
                    action.accept(w, w.path, n);
                }
            }
        }
    }

    /** What {@link #forEachInsideRemoved} calls for each watch. */
    public interface RemovedAction {
        void accept(Watch watch, String eventPath, Node removedNode);
    }

    private TrieNode find(String path) {
        TrieNode t = root.child("/");
        int start = 1;
        int len = path.length();
        while (t != null && start < len) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = len;
            }
            t = t.child(path.substring(start, end));
            start = end + 1;
        }
        return t;
    }

    static int segmentCount(String path) {
        if (path.equals("/")) {
            return 0;
        }
        int n = path.startsWith("/") ? 0 : 1;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }
}
