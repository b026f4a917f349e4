package org.jxenstored.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link TreeDiff} then {@link TreeRestore} rebuild a later version of a tree from an earlier one exactly: every
 * node's value, permissions, generation and creation stamp, and the children's listing order.
 */
class TreeDiffTest {
    private static final String[] PATHS = {"/a", "/a/b", "/a/b/c", "/a/d", "/e", "/e/f", "/local/domain/1/x",
        "/local/domain/1", "/local/domain/2/y/z"};

    @Provide
    Arbitrary<List<Integer>> ops() {
        return Arbitraries.integers().between(0, PATHS.length * 4 - 1).list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void restoringTheDiffGivesTheLaterTree(@ForAll("ops") List<Integer> before, @ForAll("ops") List<Integer> after) {
        Stamps stamps = new Stamps();
        Tree t = new Tree(Tree.initialRoot(stamps), stamps);
        apply(t, before);
        Node a = t.root();
        apply(t, after);
        Node b = t.root();
        List<String> records = new ArrayList<>();
        TreeRestore r = new TreeRestore(a);
        TreeDiff.diff(a, b, new TreeDiff.Changes() {
            @Override
            public void set(String path, Node node) {
                records.add(path);
                r.set(path, node.value(), node.perms(), node.generation(), node.creationStamp());
            }

            @Override
            public void removed(String path) {
                r.remove(path);
            }
        });
        assertThat(dump(r.root())).isEqualTo(dump(b));
        assertThat(r.lastStamp()).isLessThanOrEqualTo(stamps.last());
        // a tree restored from nothing, node by node, is the same tree too (a snapshot)
        TreeRestore full = new TreeRestore(TreeRestore.emptyRoot());
        TreeDiff.diff(TreeRestore.emptyRoot(), b, new TreeDiff.Changes() {
            @Override
            public void set(String path, Node node) {
                full.set(path, node.value(), node.perms(), node.generation(), node.creationStamp());
            }

            @Override
            public void removed(String path) {
                full.remove(path);
            }
        });
        assertThat(dump(full.root())).isEqualTo(dump(b));
        // and built at once from those records in pre-order (how a snapshot is read)
        TreeBuilder builder = new TreeBuilder();
        TreeDiff.diff(TreeRestore.emptyRoot(), b, new TreeDiff.Changes() {
            @Override
            public void set(String path, Node node) {
                builder.add(path, node.value(), node.perms(), node.generation(), node.creationStamp());
            }

            @Override
            public void removed(String path) {
            }
        });
        Node built = builder.finish();
        assertThat(dump(built)).isEqualTo(dump(b));
        // a tree built at once changes as any other: the journal's records apply on top of it
        TreeRestore onBuilt = new TreeRestore(built);
        TreeDiff.diff(b, a, new TreeDiff.Changes() {
            @Override
            public void set(String path, Node node) {
                onBuilt.set(path, node.value(), node.perms(), node.generation(), node.creationStamp());
            }

            @Override
            public void removed(String path) {
                onBuilt.remove(path);
            }
        });
        assertThat(dump(onBuilt.root())).isEqualTo(dump(a));
    }

    @Property(tries = 200)
    void childSetsBuiltAtOnceFindEveryChild(@ForAll("names") List<String> names) {
        List<Node> nodes = new ArrayList<>();
        for (String n : new java.util.LinkedHashSet<>(names)) {
            nodes.add(Node.create(n, null, Perms.DOM0_ONLY, nodes.size() + 1));
        }
        Children built = Children.of(nodes);
        Children inserted = Children.EMPTY;
        for (Node n : nodes) {
            inserted = inserted.with(n);
        }
        assertThat(built.size()).isEqualTo(nodes.size());
        for (Node n : nodes) {
            assertThat(built.get(n.name())).isSameAs(n);
            assertThat(built.without(n.name()).get(n.name())).isNull();
        }
        assertThat(built.get("absent")).isNull();
        List<Node> seen = new ArrayList<>();
        built.forEach(seen::add);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(nodes);
    }

    @Provide
    Arbitrary<List<String>> names() {
        // "Aa" and "BB" share a hash: collision lists too
        return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4),
                Arbitraries.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa")).list().ofMaxSize(300);
    }

    private static void apply(Tree t, List<Integer> ops) {
        for (int op : ops) {
            String path = PATHS[op % PATHS.length];
            switch (op / PATHS.length) {
                case 0:
                    t.write(path, ("v" + op).getBytes(StandardCharsets.US_ASCII), 1, op % 2 == 0);
                    break;
                case 1:
                    t.mkdir(path, 2, true);
                    break;
                case 2:
                    t.remove(path);
                    break;
                default:
                    t.setPerms(path, Perms.of(op % 3, Perms.READ));
            }
        }
    }

    /** Every node with its contents and stamps, children in listing order. */
    private static String dump(Node root) {
        StringBuilder sb = new StringBuilder();
        TreeMap<String, Node> all = new TreeMap<>();
        collect(root, "/", all);
        all.forEach((p, n) -> sb.append(p).append(' ').append(new String(n.value(), StandardCharsets.ISO_8859_1))
                .append(' ').append(n.perms()).append(' ').append(n.generation()).append(' ')
                .append(n.creationStamp()).append(" [").append(new String(n.childNamesInOrder(),
                        StandardCharsets.ISO_8859_1).replace('\0', ',')).append("]\n"));
        return sb.toString();
    }

    private static void collect(Node n, String path, TreeMap<String, Node> out) {
        out.put(path, n);
        for (Node c : n.childrenInOrder()) {
            collect(c, Paths.child(path, c.name()), out);
        }
    }
}
