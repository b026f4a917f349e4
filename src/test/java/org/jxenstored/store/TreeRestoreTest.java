package org.jxenstored.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Restoring recorded nodes: runs under one parent are applied at once, and the result is what each record says. */
class TreeRestoreTest {
    private record Rec(String value, long generation, long createSeq) {
    }

    @Test
    void randomRecordsGiveTheModelsTree() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            Map<String, Rec> model = new TreeMap<>();
            model.put("/", new Rec("", 0, 0));
            TreeRestore r = new TreeRestore(TreeRestore.emptyRoot());
            long stamp = 0;
            for (int op = 0; op < 3000; op++) {
                List<String> paths = new ArrayList<>(model.keySet());
                String parent = paths.get(rnd.nextInt(paths.size()));
                int roll = rnd.nextInt(20);
                if (roll == 0 && !parent.equals("/")) {
                    r.remove(parent);
                    removeSubtree(model, parent);
                } else if (roll == 1) {
                    r.root(); // a reader in the middle of a run
                } else {
                    // mostly siblings of the last few, as a journal frame of pipelined writes has them
                    String path = Paths.join(parent, "n" + rnd.nextInt(6));
                    Rec old = model.get(path);
                    boolean sameNode = old != null && rnd.nextBoolean();
                    long createSeq = sameNode ? old.createSeq : ++stamp;
                    Rec rec = new Rec("v" + op, ++stamp, createSeq);
                    r.set(path, rec.value.getBytes(StandardCharsets.US_ASCII), Perms.DOM0_ONLY, rec.generation,
                            rec.createSeq);
                    if (!sameNode) {
                        removeSubtree(model, path);
                    }
                    model.put(path, rec);
                }
            }
            assertThat(walk(r.root())).as("seed %d", seed).isEqualTo(model);
            assertThat(r.lastStamp()).isEqualTo(stamp);
            assertThat(TreeChecker.check(r.root(), r.lastStamp(), new long[1])).isEmpty();
        }
    }

    @Test
    void aRecordWhoseParentIsMissingIsRefused() {
        TreeRestore r = new TreeRestore(TreeRestore.emptyRoot());
        r.set("/a", new byte[0], Perms.DOM0_ONLY, 1, 1);
        r.set("/a/b", new byte[0], Perms.DOM0_ONLY, 2, 2);
        assertThatThrownBy(() -> r.set("/x/y", new byte[0], Perms.DOM0_ONLY, 3, 3))
                .isInstanceOf(IllegalStateException.class);
        assertThat(r.root().child("a").child("b")).isNotNull();
    }

    private static void removeSubtree(Map<String, Rec> model, String path) {
        model.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
    }

    private static Map<String, Rec> walk(Node root) {
        Map<String, Rec> out = new TreeMap<>();
        ArrayDeque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {"/", root});
        while (!todo.isEmpty()) {
            Object[] e = todo.pop();
            String path = (String) e[0];
            Node n = (Node) e[1];
            out.put(path, new Rec(new String(n.value(), StandardCharsets.US_ASCII), n.generation, n.createSeq));
            for (Node c : n.childrenInOrder()) {
                todo.push(new Object[] {Paths.join(path, c.name()), c});
            }
        }
        return out;
    }
}
