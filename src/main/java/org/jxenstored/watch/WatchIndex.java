package org.jxenstored.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
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

    /**
     * For a removed subtree at {@code path}: calls {@code action} for every watch registered strictly inside it on a
     * node that existed in {@code subtree}, with the watch's own path as event path (C's exact-match events for
     * deleted descendants). Iterative: the removed tree's depth is guest-controlled.
     */
    public void forEachInsideRemoved(String path, Node subtree, BiConsumer<Watch, String> action) {
        TrieNode t = path.length() == 1 ? root.child("/") : find(path);
        if (t == null || t.children == null) {
            return;
        }
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {t, subtree});
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            TrieNode tn = (TrieNode) top[0];
            Node node = (Node) top[1];
            if (tn.children == null) {
                continue;
            }
            for (TrieNode child : tn.children.values()) {
                Node n = node.child(child.segment);
                if (n == null) {
                    continue;
                }
                if (child.watches != null) {
                    for (Watch w : child.watches) {
                        action.accept(w, w.path);
                    }
                }
                stack.push(new Object[] {child, n});
            }
        }
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
