package org.jxenstored.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jxenstored.protocol.XsException;

/**
 * Random interleavings of plain changes and two open transactions, checked against a serial model after
 * every step. The model is a map of paths to values with a version per node (bumped by every change of its value,
 * existence or child list) and applies acknowledged operations in the order they were acknowledged; a transaction
 * records the versions of what it accessed at its first access (C's rule, see {@link Transaction}). Checked:
 * <ul>
 *   <li>the live tree always equals the model: no acknowledged write vanishes unless a later acknowledged write or
 *   commit replaced it, and nothing unacknowledged appears;</li>
 *   <li>a commit succeeds exactly when no node it accessed changed since its first access (so never for a node it
 *   did not access), the parent of a node it created or removed counting only by its identity;</li>
 *   <li>while that holds, every read inside the transaction answers what the model plus its own changes says.</li>
 * </ul>
 * A run is cheap (1000 sequences in about a second), so CI runs 1000.
 */
class TransactionModelTest {
    private static final String[] PATHS = {"/t/a", "/t/b", "/t/a/x", "/t/c/y", "/t/c", "/t"};
    private static final int SLOTS = 2;
    private static final Caller DOM0 = new TestCaller(0, true);

    enum Kind { WRITE, RM, TX_BEGIN, TX_READ, TX_WRITE, TX_RM, TX_COMMIT, TX_ABORT }

    record Step(Kind kind, int slot, String path, String value) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(Kind.class), Arbitraries.integers().between(0, SLOTS - 1),
                Arbitraries.of(PATHS), Arbitraries.of("0", "1", "2", "3")).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 1000)
    void transactionsBehaveAsTheSerialModelSays(@ForAll("steps") List<Step> steps) {
        Store store = new Store();
        Model live = new Model();
        Editor.write(store.live(), DOM0, "/t", new byte[0], ChangeSink.NONE);
        live.write("/t", "");
        Transaction[] txs = new Transaction[SLOTS];
        ModelTx[] mtx = new ModelTx[SLOTS];
        for (Step s : steps) {
            int i = s.slot();
            switch (s.kind()) {
                case WRITE -> {
                    Editor.write(store.live(), DOM0, s.path(), bytes(s.value()), ChangeSink.NONE);
                    live.write(s.path(), s.value());
                }
                case RM -> {
                    boolean ok = attempt(() -> Editor.remove(store.live(), DOM0, s.path(), ChangeSink.NONE));
                    assertThat(ok).isEqualTo(live.rm(s.path()));
                }
                case TX_BEGIN -> {
                    if (txs[i] == null) {
                        txs[i] = store.begin(i + 1);
                        mtx[i] = new ModelTx();
                    }
                }
                case TX_READ -> {
                    if (txs[i] != null) {
                        txs[i].read(s.path());
                        Node n = txs[i].view().get(s.path());
                        mtx[i].touch(live, s.path());
                        mtx[i].note(live, s.path(), true);
                        if (!mtx[i].conflicts(live)) {
                            assertThat(n == null ? null : string(n.value())).as("read %s in %s", s.path(), s)
                                    .isEqualTo(mtx[i].view(live).values.get(s.path()));
                        }
                    }
                }
                case TX_WRITE -> {
                    if (txs[i] != null) {
                        txs[i].apply(new Mutation.Write(s.path(), bytes(s.value())), DOM0);
                        mtx[i].access(live, s.path(), false);
                        mtx[i].log.add(s);
                    }
                }
                case TX_RM -> {
                    if (txs[i] != null) {
                        Transaction tx = txs[i];
                        Model before = mtx[i].view(live);
                        mtx[i].access(live, s.path(), true);
                        for (String d : before.descendants(s.path())) {
                            mtx[i].note(live, d, true);
                        }
                        boolean ok = attempt(() -> tx.apply(new Mutation.Remove(s.path()), DOM0));
                        if (!mtx[i].conflicts(live)) { // a doomed transaction's answers may be stale
                            assertThat(ok).as("rm %s in %s", s.path(), s).isEqualTo(before.copy().rm(s.path()));
                        }
                        if (ok) {
                            mtx[i].log.add(s);
                        }
                    }
                }
                case TX_COMMIT -> {
                    if (txs[i] != null) {
                        Transaction tx = txs[i];
                        boolean expected = !mtx[i].conflicts(live);
                        boolean ok = attempt(() -> store.commit(tx, DOM0, ChangeSink.NONE));
                        assertThat(ok).as("commit of slot %d after %s", i, steps).isEqualTo(expected);
                        if (ok) {
                            mtx[i].replayOn(live);
                        }
                        txs[i] = null;
                    }
                }
                case TX_ABORT -> txs[i] = null;
            }
            assertSame(store.live(), live);
        }
    }

    private static boolean attempt(Runnable r) {
        try {
            r.run();
            return true;
        } catch (XsException e) {
            return false;
        }
    }

    private static void assertSame(Tree tree, Model model) {
        Map<String, String> actual = new TreeMap<>();
        collect(tree.get("/t"), "/t", actual);
        assertThat(actual).isEqualTo(new TreeMap<>(model.values));
    }

    private static void collect(Node n, String path, Map<String, String> out) {
        if (n == null) {
            return;
        }
        out.put(path, string(n.value()));
        for (Node c : n.childrenInOrder()) {
            collect(c, path + "/" + c.name(), out);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** The store as a map: every node's value, version (any change) and incarnation (its creation). */
    static final class Model {
        final Map<String, String> values = new HashMap<>();
        final Map<String, Long> versions = new HashMap<>();
        final Map<String, Long> incarnations = new HashMap<>();
        private static long clock;

        Model() {
            versions.put("", 0L); // the root: always there, never in values
            incarnations.put("", 0L);
        }

        Model copy() {
            Model m = new Model();
            m.values.putAll(values);
            m.versions.putAll(versions);
            m.incarnations.putAll(incarnations);
            return m;
        }

        boolean exists(String p) {
            return p.isEmpty() || values.containsKey(p);
        }

        long version(String p) {
            return exists(p) ? versions.get(p) : -1;
        }

        void write(String p, String v) {
            if (!exists(p)) {
                String parent = parent(p);
                if (!exists(parent)) {
                    write(parent, "");
                }
                bump(parent);
                incarnations.put(p, ++clock);
            }
            values.put(p, v);
            bump(p);
        }

        /** RM: false (ENOENT) when neither the node nor its parent exists. */
        boolean rm(String p) {
            if (!exists(p)) {
                return exists(parent(p));
            }
            for (String d : descendants(p)) {
                values.remove(d);
            }
            values.remove(p);
            bump(parent(p));
            return true;
        }

        List<String> descendants(String p) {
            List<String> out = new ArrayList<>();
            for (String k : values.keySet()) {
                if (k.startsWith(p + "/")) {
                    out.add(k);
                }
            }
            return out;
        }

        private void bump(String p) {
            versions.put(p, ++clock);
        }

        static String parent(String p) {
            return p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** What a transaction accessed (first-access versions; weak = identity only) and what it did. */
    static final class ModelTx {
        record Rec(long version, long incarnation, boolean strict) {
        }

        final Map<String, Rec> seen = new LinkedHashMap<>();
        final List<Step> log = new ArrayList<>();
        boolean doomed;

        void note(Model live, String p, boolean strict) {
            Rec r = seen.get(p);
            Rec now = new Rec(live.version(p), live.exists(p) ? live.incarnations.get(p) : -1, strict);
            if (r == null) {
                seen.put(p, now);
            } else if (strict && !r.strict) {
                doomed |= violated(r, live, p);
                seen.put(p, now);
            }
        }

        /**
         * Accessing {@code p} after it or an ancestor accessed before changed dooms the transaction (even if it
         * changed back): its answers would mix the old and the new state.
         */
        void touch(Model live, String p) {
            for (String q = p; !q.isEmpty(); q = Model.parent(q)) {
                Rec r = seen.get(q);
                doomed |= r != null && violated(r, live, q);
            }
        }

        /** A change at {@code p}: the node itself, then the ancestors it creates, or the parent it changes. */
        void access(Model live, String p, boolean removal) {
            touch(live, p);
            note(live, p, true);
            if (live.exists(p) && !removal) {
                return;
            }
            String q = p;
            while (q.lastIndexOf('/') > 0) {
                q = Model.parent(q);
                boolean exists = live.exists(q);
                note(live, q, !exists);
                if (exists) {
                    break;
                }
            }
        }

        static boolean violated(Rec r, Model live, String p) {
            if (r.strict) {
                return live.version(p) != r.version;
            }
            return !live.exists(p) || live.incarnations.get(p) != r.incarnation;
        }

        boolean conflicts(Model live) {
            if (doomed) {
                return true;
            }
            for (Map.Entry<String, Rec> e : seen.entrySet()) {
                if (violated(e.getValue(), live, e.getKey())) {
                    return true;
                }
            }
            return false;
        }

        Model view(Model live) {
            Model v = live.copy();
            replayOn(v);
            return v;
        }

        void replayOn(Model m) {
            for (Step s : log) {
                if (s.kind() == Kind.TX_WRITE) {
                    m.write(s.path(), s.value());
                } else {
                    m.rm(s.path());
                }
            }
        }
    }
}
