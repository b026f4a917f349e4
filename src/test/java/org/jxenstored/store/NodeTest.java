package org.jxenstored.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact node: name and value in one array, and what is derived from it. */
class NodeTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void nameAndValueRoundTrip() {
        Node n = Node.create("backend", b("value"), Perms.DOM0_ONLY, 1);
        assertThat(n.name()).isEqualTo("backend");
        assertThat(n.value()).isEqualTo(b("value"));
        assertThat(n.valueLength()).isEqualTo(5);
        assertThat(n.accountedBytes()).isEqualTo(7 + 5 + Perms.DOM0_ONLY.accountedSize());
        Node empty = Node.create("", null, Perms.DOM0_ONLY, 2);
        assertThat(empty.name()).isEmpty();
        assertThat(empty.value()).isEmpty();
    }

    @Test
    void valueIsACopyAndPutValueWritesIt() {
        Node n = Node.create("k", b("abc"), Perms.DOM0_ONLY, 1);
        n.value()[0] = 'X';
        assertThat(n.value()).isEqualTo(b("abc"));
        ByteBuffer buf = ByteBuffer.allocate(8);
        n.putValue(buf);
        assertThat(buf.position()).isEqualTo(3);
        assertThat(buf.array()[0]).isEqualTo((byte) 'a');
    }

    @Test
    void aNewValueKeepsTheNameAndAnUnchangedValueIsShared() {
        Node n = Node.create("name", b("long old value"), Perms.DOM0_ONLY, 1);
        Node shorter = n.withValue(b("v"), 2);
        assertThat(shorter.name()).isEqualTo("name");
        assertThat(shorter.value()).isEqualTo(b("v"));
        assertThat(n.withValue(null, 3).value()).isEmpty();
        assertThat(n.withPerms(Perms.of(3, Perms.READ), 4).sameValueAs(n)).isTrue();
        assertThat(shorter.sameValueAs(n)).isFalse();
        assertThat(n.value()).as("the old version is untouched").isEqualTo(b("long old value"));
    }

    @Test
    void hashEqualsAndSegmentLookupAgreeWithStrings() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(20);
            for (int j = 0; j < len; j++) {
                sb.append((char) (rnd.nextBoolean() ? 0x20 + rnd.nextInt(0x5F) : 0x80 + rnd.nextInt(0x80)));
            }
            String name = sb.toString();
            Node n = Node.create(name, null, Perms.DOM0_ONLY, i);
            assertThat(n.name()).isEqualTo(name);
            assertThat(n.nameHash()).isEqualTo(name.hashCode());
            String path = "/x/" + name + "/y";
            assertThat(n.nameEquals(path, 3, 3 + len)).isTrue();
            assertThat(n.nameEquals(path, 3, 3 + len + 1)).isFalse();
            Children c = Children.EMPTY.with(n);
            assertThat(c.get(path, 3, 3 + len)).isSameAs(n);
            assertThat(c.get(name)).isSameAs(n);
        }
    }

    @Test
    void namesOutsideOneByteOrTooLongAreRefused() {
        assertThatThrownBy(() -> Node.create("a\u0100", null, Perms.DOM0_ONLY, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Node.create("x".repeat(Node.MAX_NAME_LENGTH + 1), null, Perms.DOM0_ONLY, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Node.create("x".repeat(Node.MAX_NAME_LENGTH), null, Perms.DOM0_ONLY, 1).name())
                .hasSize(Node.MAX_NAME_LENGTH);
    }

    @Test
    void theListingFollowsTheChildSet() {
        Stamps s = new Stamps();
        Tree t = new Tree(Tree.initialRoot(s), s);
        t.write("/d/a", b("1"), 0, false);
        t.write("/d/b", b("2"), 0, false);
        assertThat(t.get("/d").childNamesInOrder()).isEqualTo(b("a\0b\0"));
        t.write("/d/a", b("changed"), 0, false); // a new version of a child: same listing
        assertThat(t.get("/d").childNamesInOrder()).isEqualTo(b("a\0b\0"));
        t.remove("/d/a");
        t.write("/d/a", b("again"), 0, false); // created again: now the youngest
        assertThat(t.get("/d").childNamesInOrder()).isEqualTo(b("b\0a\0"));

        // a restore that replaces a child by one created later must not keep the old order
        TreeRestore r = new TreeRestore(t.root());
        r.set("/d/b", b("restored"), Perms.DOM0_ONLY, s.next(), s.next());
        assertThat(r.root().child("d").childNamesInOrder()).isEqualTo(b("a\0b\0"));
    }
}
