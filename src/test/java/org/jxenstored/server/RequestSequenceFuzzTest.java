package org.jxenstored.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.store.Access;
import org.jxenstored.store.Node;
import org.jxenstored.store.Paths;
import org.jxenstored.store.Perms;
import org.jxenstored.store.Tree;
import org.jxenstored.store.TreeChecker;
import org.jxenstored.store.Usage;

/**
 * Random request sequences from Dom0 and two guests, with quotas on, through the real request handler. After
 * every request: exactly one reply came back (sent, or queued for a connection that stopped reading), the tree is
 * sound, the accounting of nodes and of held memory equals a recount, the watch index matches the connections, and no guest got an event about a node it could read neither before nor after.
 *
 * <p>CI runs a short property; a longer run: {@code mvn test -Dtest=RequestSequenceFuzzTest -Djqwik.tries.default=5000}
 * (see docs/security.md).
 */
class RequestSequenceFuzzTest {
    private static final String[] PATHS = {"/", "/a", "/a/b", "/a/b/c", "/local/domain/5", "/local/domain/5/x",
        "/local/domain/6/y", "x", "x/y", "/a//b", "/a/", "", "@introduceDomain", "@releaseDomain/5", "/tool",
        "/local/domain/5/x/deep/er/and/deeper"};
    private static final String[] PERMS = {"n0", "r5", "w6", "b5", "n5", "r6", "x1", "n99999", "r32757"};
    private static final XsType[] TYPES = {XsType.READ, XsType.WRITE, XsType.MKDIR, XsType.RM, XsType.DIRECTORY,
        XsType.DIRECTORY_PART, XsType.GET_PERMS, XsType.SET_PERMS, XsType.WATCH, XsType.UNWATCH,
        XsType.TRANSACTION_START, XsType.TRANSACTION_END, XsType.RESET_WATCHES, XsType.GET_DOMAIN_PATH,
        XsType.CONTROL, XsType.GET_QUOTA, XsType.SET_QUOTA, XsType.INTRODUCE};

    /** A request; {@code stall} 0 first flips whether the connection's transport takes output (a slow reader). */
    record Step(int who, int type, int tx, byte[] payload, int stall) {
    }

    @Property
    void invariantsHoldAfterEveryRequest(@ForAll("sequences") List<Step> steps) {
        Limits limits = new Limits();
        limits.set(QuotaKind.NODES, 8);
        limits.set(QuotaKind.WATCHES, 4);
        limits.set(QuotaKind.TRANSACTIONS, 2);
        limits.set(QuotaKind.TRANSACTION_NODES, 6);
        limits.set(QuotaKind.NODE_SIZE, 200);
        limits.set(QuotaKind.MEMORY, 1200);
        Server server = new Server(limits);
        FakeConnection[] conns = {new FakeConnection(0, true, server), new FakeConnection(5, false, server),
            new FakeConnection(6, false, server)};
        for (FakeConnection c : conns) {
            server.connect(c);
        }
        Tree live = server.store().live();
        live.write("/local/domain/5", new byte[0], 0, false);
        live.setPerms("/local/domain/5", Perms.of(5, Perms.NONE));
        live.write("/local/domain/6", new byte[0], 0, false);
        live.setPerms("/local/domain/6", Perms.of(6, Perms.NONE));
        server.store().usage().forget(0);
        server.store().usage().forget(5);
        server.store().usage().forget(6);
        Usage.recount(live.root()).forEach((d, u) -> server.store().usage().add(d, (int) u[0], u[1]));

        for (Step s : steps) {
            FakeConnection c = conns[s.who];
            if (s.stall == 0) {
                c.writable = !c.writable;
                if (c.writable) {
                    c.drain();
                }
            }
            int before = c.sent.size();
            int queuedRepliesBefore = c.waitingCount() - c.waitingEventCount();
            Node rootBefore = live.root();
            List<Integer> eventCountsBefore = new ArrayList<>();
            for (FakeConnection x : conns) {
                eventCountsBefore.add(x.sent.size());
            }
            int tx = s.tx == 0 || c.transactions().isEmpty() ? 0 : c.transactions().keySet().iterator().next();
            server.handler().handle(c, new XsMessage(s.type, 1, tx, s.payload));

            long replies = c.sent.subList(before, c.sent.size()).stream()
                    .filter(m -> m.type != XsType.WATCH_EVENT.code).count();
            int queuedReplies = c.waitingCount() - c.waitingEventCount() - queuedRepliesBefore;
            assertThat(replies + queuedReplies).as("one reply to %s", s).isEqualTo(1);
            long[] count = new long[1];
            assertThat(TreeChecker.check(live.root(), server.store().stamps().last(), count)).isEmpty();
            assertThat(server.store().usage().snapshot()).usingRecursiveComparison()
                    .isEqualTo(Usage.recount(live.root()).snapshot());
            int watches = 0;
            for (FakeConnection x : conns) {
                watches += x.watches().size();
            }
            assertThat(server.watchIndex().size()).isEqualTo(watches);
            assertThat(server.check()).as("every invariant (held memory, watch and transaction counts...)")
                    .isEmpty();
            for (int i = 1; i < conns.length; i++) {
                FakeConnection g = conns[i];
                boolean ownWatch = g == c && s.type == XsType.WATCH.code;
                for (XsMessage m : g.sent.subList(eventCountsBefore.get(i), g.sent.size())) {
                    // The initial event of the guest's own WATCH only echoes its own request.
                    if (m.type == XsType.WATCH_EVENT.code && !ownWatch) {
                        String path = new String(m.payload, StandardCharsets.ISO_8859_1).split("\0", -1)[0];
                        assertThat(mayHaveSeen(g, path, rootBefore, live.root()))
                                .as("guest %d told of %s", g.domid(), path).isTrue();
                    }
                }
            }
        }
    }

    /** Whether the guest could read the node or its parent before or after the change (XSA-115). */
    private static boolean mayHaveSeen(FakeConnection g, String shown, Node before, Node after) {
        if (shown.startsWith("@")) {
            return true; // special events have their own rule, tested elsewhere
        }
        String path = shown.startsWith("/") ? shown : Paths.domainPath(g.domid()) + "/" + shown;
        for (Node root : new Node[] {before, after}) {
            Node n = Tree.lookup(root, path);
            if (n != null && Access.allows(g, n.perms(), Perms.READ)) {
                return true;
            }
            if (path.length() > 1) {
                Node p = Tree.lookup(root, Paths.parent(path));
                if (p != null && Access.allows(g, p.perms(), Perms.READ)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<String> path = Arbitraries.of(PATHS);
        Arbitrary<String> value = Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(60);
        Arbitrary<byte[]> wellFormed = Combinators.combine(path, value, Arbitraries.of(PERMS).list().ofMaxSize(7),
                Arbitraries.integers().between(0, 3))
                .as((p, v, perms, shape) -> {
                    StringBuilder sb = new StringBuilder(p).append('\0');
                    if (shape == 0) {
                        sb.append(v);
                    } else if (shape == 1) {
                        perms.forEach(x -> sb.append(x).append('\0'));
                    } else if (shape == 2) {
                        sb.append(v).append('\0');
                    }
                    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
                });
        Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> payload = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, wellFormed), net.jqwik.api.Tuple.of(1, garbage),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("T\0", "F\0", "check\0", "nodes\0")
                        .map(x -> x.getBytes(StandardCharsets.ISO_8859_1))));
        Arbitrary<Integer> type = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.of(TYPES).map(t -> t.code)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
        return Combinators.combine(Arbitraries.integers().between(0, 2), type, Arbitraries.integers().between(0, 1),
                payload, Arbitraries.integers().between(0, 7)).as(Step::new).list().ofMinSize(5).ofMaxSize(60);
    }
}
