package org.jxenstored.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Verifies the invariants of a tree without recursion (depth is guest-controlled): what {@code check} reports. */
public final class TreeChecker {
    private TreeChecker() {
    }

    /** The problems found, empty when the tree is sound; also counts the nodes into {@code nodeCount[0]}. */
    public static List<String> check(Node root, long lastStamp, long[] nodeCount) {
        List<String> problems = new ArrayList<>();
        ArrayDeque<Node> nodes = new ArrayDeque<>();
        ArrayDeque<String> paths = new ArrayDeque<>();
        nodes.push(root);
        paths.push("/");
        long count = 0;
        while (!nodes.isEmpty()) {
            Node n = nodes.pop();
            String path = paths.pop();
            count++;
            if (n.generation > lastStamp || n.createSeq > n.generation) {
                problems.add(path + ": generation " + n.generation + " / creation " + n.createSeq
                        + " out of range (last " + lastStamp + ")");
            }
            if (n.perms == null || n.perms.size() == 0) {
                problems.add(path + ": no permissions");
            }
            if (!Paths.isValid(path)) {
                problems.add(path + ": invalid path");
            }
            int[] seen = {0};
            n.children.forEach(c -> {
                seen[0]++;
                String name = c.name();
                if (name.isEmpty() || name.indexOf('/') >= 0) {
                    problems.add(path + ": bad child name '" + name + "'");
                } else {
                    nodes.push(c);
                    paths.push(Paths.join(path, name));
                }
            });
            if (seen[0] != n.children.size()) {
                problems.add(path + ": child count " + n.children.size() + " but " + seen[0] + " children");
            }
            if (n.children.size() > 0 && n.children.get(n.childrenInOrder()[0].name()) == null) {
                problems.add(path + ": child lookup broken");
            }
        }
        nodeCount[0] = count;
        return problems;
    }
}
