package org.jxenstored.store;

import java.util.ArrayDeque;

/**
 * What changed from one version of the tree to a later one, as the records that rebuild the later version from the
 * earlier ({@link TreeRestore}): the persistence journal's view of the store. Versions share every unchanged
 * subtree, so the walk descends only where the two differ: O(changed nodes x depth), whatever the tree's size.
 * Iterative (depth is guest-controlled, XSA-418).
 */
public final class TreeDiff {
    /** Receives the changes, parents before their children. */
    public interface Changes {
        /**
         * The node at {@code path} is {@code node} now: its value, permissions and stamps (a new node comes with an
         * empty child set and its children as their own calls; an existing one keeps its children).
         */
        void set(String path, Node node);

        /** The node at {@code path} and its subtree are gone. */
        void removed(String path);
    }

    private TreeDiff() {
    }

    /** Reports every change from {@code before} to {@code after} (two roots). */
    public static void diff(Node before, Node after, Changes out) {
        if (before == after) {
            return;
        }
        ArrayDeque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {before, after, "/"});
        while (!todo.isEmpty()) {
            Object[] pair = todo.pop();
            Node a = (Node) pair[0];
            Node b = (Node) pair[1];
            String path = (String) pair[2];
            if (a.createSeq != b.createSeq && path.length() > 1) { // the root is never replaced
                out.removed(path);
                all(b, path, out);
                continue;
            }
            if (a.generation != b.generation || a.createSeq != b.createSeq || !a.sameValueAs(b) || a.perms != b.perms) {
                out.set(path, b);
            }
            Children.diff(a.children, b.children, new Children.Diff() {
                @Override
                public void removed(Node old) {
                    out.removed(Paths.child(path, old.name()));
                }

                @Override
                public void added(Node now) {
                    all(now, Paths.child(path, now.name()), out);
                }

                @Override
                public void changed(Node old, Node now) {
                    todo.push(new Object[] {old, now, Paths.child(path, now.name())});
                }
            });
        }
    }

    /** Reports a new subtree, node by node, parents first. */
    private static void all(Node subtree, String path, Changes out) {
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {subtree, path});
        while (!stack.isEmpty()) {
            Object[] e = stack.pop();
            Node n = (Node) e[0];
            String p = (String) e[1];
            out.set(p, n);
            n.children.forEach(c -> stack.push(new Object[] {c, Paths.child(p, c.name())}));
        }
    }
}
