package org.jxenstored.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChildrenTest {
    private long stamp;

    private Node node(String name) {
        return Node.create(name, null, Perms.DOM0_ONLY, ++stamp);
    }

    @Test
    void emptyHasNothing() {
        assertThat(Children.EMPTY.size()).isZero();
        assertThat(Children.EMPTY.get("a")).isNull();
        assertThat(Children.EMPTY.without("a")).isSameAs(Children.EMPTY);
    }

    @Test
    void addReplaceRemove() {
        Node a = node("a");
        Node b = node("b");
        Children c = Children.EMPTY.with(a).with(b);
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.get("a")).isSameAs(a);
        Node a2 = node("a");
        Children replaced = c.with(a2);
        assertThat(replaced.size()).isEqualTo(2);
        assertThat(replaced.get("a")).isSameAs(a2);
        assertThat(c.get("a")).as("the old version is untouched").isSameAs(a);
        Children removed = replaced.without("a");
        assertThat(removed.size()).isEqualTo(1);
        assertThat(removed.get("a")).isNull();
        assertThat(removed.get("b")).isSameAs(b);
    }

    @Test
    void equalHashCodesCollide() {
        // "Aa" and "BB" have the same String.hashCode(), as have "AaAa", "AaBB", "BBAa", "BBBB".
        String[] names = {"Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB"};
        Children c = Children.EMPTY;
        for (String n : names) {
            c = c.with(node(n));
        }
        assertThat(c.size()).isEqualTo(names.length);
        for (String n : names) {
            assertThat(c.get(n).name()).isEqualTo(n);
        }
        c = c.without("BB").without("AaBB");
        assertThat(c.size()).isEqualTo(4);
        assertThat(c.get("BB")).isNull();
        assertThat(c.get("Aa")).isNotNull();
        assertThat(c.get("BBBB")).isNotNull();
    }

    @Test
    void randomOperationsMatchAMapModel() {
        Random rnd = new Random(42);
        Map<String, Node> model = new HashMap<>();
        Children c = Children.EMPTY;
        List<Children> versions = new ArrayList<>();
        List<Map<String, Node>> models = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String name = "n" + rnd.nextInt(3000);
            if (rnd.nextInt(3) == 0) {
                c = c.without(name);
                model.remove(name);
            } else {
                Node n = node(name);
                c = c.with(n);
                model.put(name, n);
            }
            if (i % 2000 == 0) {
                versions.add(c);
                models.add(new HashMap<>(model));
            }
        }
        assertThat(c.size()).isEqualTo(model.size());
        for (Map.Entry<String, Node> e : model.entrySet()) {
            assertThat(c.get(e.getKey())).isSameAs(e.getValue());
        }
        assertThat(c.toArray()).containsExactlyInAnyOrderElementsOf(model.values());
        for (int v = 0; v < versions.size(); v++) {
            assertThat(versions.get(v).toArray()).as("persistent version %d", v)
                    .containsExactlyInAnyOrderElementsOf(models.get(v).values());
        }
    }

    @Test
    void removingEverythingLeavesAnEmptySet() {
        Children c = Children.EMPTY;
        for (int i = 0; i < 1000; i++) {
            c = c.with(node("c" + i));
        }
        for (int i = 0; i < 1000; i++) {
            c = c.without("c" + i);
        }
        assertThat(c.size()).isZero();
        assertThat(c.toArray()).isEmpty();
    }
}
