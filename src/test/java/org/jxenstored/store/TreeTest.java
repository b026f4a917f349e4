package org.jxenstored.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsException;
import org.junit.jupiter.api.Test;

class TreeTest {
    private final Stamps stamps = new Stamps();
    private final Tree tree = new Tree(Tree.initialRoot(stamps), stamps);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String names(Node n) {
        return new String(n.childNamesInOrder(), StandardCharsets.US_ASCII).replace('\0', ',');
    }

    @Test
    void initialTreeIsCs() {
        assertThat(names(tree.root())).isEqualTo("tool,");
        assertThat(names(tree.get("/tool"))).isEqualTo("xenstored,");
        assertThat(tree.get("/tool/xenstored").value()).isEmpty();
        assertThat(tree.root().perms().toString()).isEqualTo("n0");
    }

    @Test
    void writeCreatesParentsWithEmptyValues() {
        assertThat(tree.write("/a/b/c", b("v"), 0, false)).isEqualTo(3);
        assertThat(tree.get("/a").value()).isEmpty();
        assertThat(tree.get("/a/b").value()).isEmpty();
        assertThat(tree.get("/a/b/c").value()).isEqualTo(b("v"));
    }

    @Test
    void childrenAreListedInCreationOrderAlsoAfterRecreation() {
        for (String n : new String[] {"z", "a", "m"}) {
            tree.write("/d/" + n, b(""), 0, false);
        }
        assertThat(names(tree.get("/d"))).isEqualTo("z,a,m,");
        tree.remove("/d/z");
        tree.write("/d/z", b(""), 0, false);
        assertThat(names(tree.get("/d"))).isEqualTo("a,m,z,");
        tree.write("/d/a", b("changed"), 0, false);
        assertThat(names(tree.get("/d"))).as("a changed value keeps its place").isEqualTo("a,m,z,");
    }

    @Test
    void generationsChangeOnlyWhereSomethingChanged() {
        tree.write("/g/x", b("1"), 0, false);
        long parentGen = tree.get("/g").generation();
        long rootGen = tree.root().generation();
        tree.write("/g/x", b("2"), 0, false);
        assertThat(tree.get("/g").generation()).as("value change below does not touch the parent").isEqualTo(parentGen);
        tree.write("/g/y", b("1"), 0, false);
        assertThat(tree.get("/g").generation()).as("a new child changes the parent").isGreaterThan(parentGen);
        assertThat(tree.root().generation()).isEqualTo(rootGen);
    }

    @Test
    void snapshotsAreUnaffectedByLaterWrites() {
        tree.write("/s", b("old"), 0, false);
        Node snapshot = tree.root();
        tree.write("/s", b("new"), 0, false);
        tree.remove("/tool");
        assertThat(Tree.lookup(snapshot, "/s").value()).isEqualTo(b("old"));
        assertThat(Tree.lookup(snapshot, "/tool/xenstored")).isNotNull();
        assertThat(tree.get("/tool")).isNull();
    }

    @Test
    void newNodesInheritPermsAndUnprivilegedCreatorsOwnThem() {
        tree.write("/p", b(""), 0, false);
        tree.setPerms("/p", Perms.parse(new String[] {"r3", "w4"}));
        tree.write("/p/byDom0", b(""), 0, false);
        assertThat(tree.get("/p/byDom0").perms().toString()).isEqualTo("r3 w4");
        tree.write("/p/byGuest/x", b(""), 7, true);
        assertThat(tree.get("/p/byGuest").perms().toString()).isEqualTo("r7 w4");
        assertThat(tree.get("/p/byGuest/x").perms().toString()).isEqualTo("r7 w4");
    }

    @Test
    void deepTreesNeedNoRecursion() {
        StringBuilder p = new StringBuilder();
        while (p.length() < Paths.REL_PATH_MAX - 1) {
            p.append("/a");
        }
        String deep = p.toString();
        tree.write(deep, b("bottom"), 0, false);
        assertThat(tree.get(deep).value()).isEqualTo(b("bottom"));
        long[] count = new long[1];
        assertThat(TreeChecker.check(tree.root(), stamps.last(), count)).isEmpty();
        assertThat(count[0]).isGreaterThan(1000);
        assertThat(tree.remove("/a")).isNotNull();
        assertThat(tree.get("/a")).isNull();
    }

    @Test
    void rootCannotBeRemoved() {
        assertThatThrownBy(() -> tree.remove("/")).isInstanceOf(IllegalArgumentException.class);
        Caller dom0 = new TestCaller(0, true);
        assertThatThrownBy(() -> Editor.remove(tree, dom0, "/", ChangeSink.NONE))
                .isInstanceOfSatisfying(XsException.class, e -> assertThat(e.error()).isEqualTo(XsError.EINVAL));
    }

    @Test
    void largeDirectoriesStayCorrect() {
        for (int i = 0; i < 50_000; i++) {
            tree.write("/big/c" + i, b(""), 0, false);
        }
        Node big = tree.get("/big");
        assertThat(big.childCount()).isEqualTo(50_000);
        Node[] ordered = big.childrenInOrder();
        assertThat(ordered[0].name()).isEqualTo("c0");
        assertThat(ordered[49_999].name()).isEqualTo("c49999");
    }
}
