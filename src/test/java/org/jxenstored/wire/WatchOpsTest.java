package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.MKDIR;
import static org.jxenstored.wire.XsTestClient.QUIET;
import static org.jxenstored.wire.XsTestClient.RESET_WATCHES;
import static org.jxenstored.wire.XsTestClient.READ;
import static org.jxenstored.wire.XsTestClient.RM;
import static org.jxenstored.wire.XsTestClient.SET_PERMS;
import static org.jxenstored.wire.XsTestClient.TRANSACTION_END;
import static org.jxenstored.wire.XsTestClient.UNWATCH;
import static org.jxenstored.wire.XsTestClient.WATCH;
import static org.jxenstored.wire.XsTestClient.WATCH_EVENT;
import static org.jxenstored.wire.XsTestClient.WRITE;
import static org.jxenstored.wire.XsTestClient.cat;
import static org.jxenstored.wire.XsTestClient.expectError;
import static org.jxenstored.wire.XsTestClient.expectOk;
import static org.jxenstored.wire.XsTestClient.expectReply;
import static org.jxenstored.wire.XsTestClient.latin1;
import static org.jxenstored.wire.XsTestClient.nul;
import static org.jxenstored.wire.XsTestClient.repeat;
import static org.jxenstored.wire.XsTestClient.typeName;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jxenstored.wire.XsTestClient.Msg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WATCH, UNWATCH, RESET_WATCHES and WATCH_EVENT delivery. Events are shown as {@code path|token}. Events caused by
 * another connection's request are collected by a round trip on the watching connection ({@link XsTestClient#sync}).
 */
class WatchOpsTest extends WireTestBase {

    /** Registers a watch on {@code w}, checks reply and initial event, and forgets that event. */
    private static void watch(XsTestClient w, String path, String token) {
        expectOk(w.watch(path, token), WATCH);
        w.sync();
        assertThat(w.takeEvents()).as("initial event").containsExactly(path + "|" + token);
    }

    /** The events {@code w} got because of what happened before now. */
    private static List<String> eventsOf(XsTestClient w) {
        w.sync();
        return w.takeEvents();
    }

    private static String ev(String path, String token) {
        return path + "|" + token;
    }

    // ------------------------------------------------------------------ registration

    @Test
    void replyPrecedesTheInitialEvent() {
        int reqId = c.send(WATCH, 0, nul(base, "tok"));
        Msg first = c.receive();
        Msg second = c.receive();
        assertThat(typeName(first.type())).isEqualTo("WATCH");
        assertThat(first.reqId()).isEqualTo(reqId);
        expectOk(first, WATCH);
        expectReply(second, WATCH_EVENT, nul(base, "tok"));
        assertThat(second.reqId()).isZero();
        assertThat(second.txId()).isZero();
        c.expectSilence(QUIET);
    }

    @Test
    void initialEventFiresForMissingPathsAndSpecialPaths() {
        watch(c, base + "/nonexistent/deep", "tn");
        watch(c, "@introduceDomain", "ti");
        watch(c, "@releaseDomain", "tr");
        watch(c, "@releaseDomain/5", "tr5");
        watch(c, "@foo", "tf");
        watch(c, "@", "ta");
        watch(c, base, ""); // empty token
        expectOk(c.request(RESET_WATCHES, new byte[0]), RESET_WATCHES);
    }

    @Test
    void duplicateWatchIsEexist() {
        watch(c, base, "tok");
        expectError(c.watch(base, "tok"), "EEXIST");
        // a duplicate gives no second initial event
        assertThat(eventsOf(c)).isEmpty();
        watch(c, base, "tok2");
        watch(c, base + "/a", "tok");
    }

    @Test
    void relativeAndAbsoluteSpellingsOfOneWatchAreDuplicates() {
        String rel = base.substring(1);
        watch(c, rel, "tok");
        expectError(c.watch("/local/domain/0/" + rel, "tok"), "EEXIST");
    }

    @Test
    void sameWatchOnTwoConnectionsBothFire() {
        XsTestClient other = client();
        XsTestClient writer = client();
        watch(c, base, "T");
        watch(other, base, "T");
        expectOk(writer.write(base + "/a", "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/a", "T"));
        assertThat(eventsOf(other)).containsExactly(ev(base + "/a", "T"));
    }

    static Stream<Arguments> malformedWatch() {
        return Stream.of(Arguments.of("path only", nul("/wt")),
                Arguments.of("unterminated token", cat(nul("/wt"), latin1("t"))),
                Arguments.of("four strings", nul("/wt", "t", "1", "y")),
                Arguments.of("empty payload", new byte[0]),
                Arguments.of("empty path", nul("", "t")),
                Arguments.of("trailing slash", nul("/wt/", "t")),
                Arguments.of("double slash", nul("/w//t", "t")),
                Arguments.of("invalid character", nul("/w t", "t")),
                // Xen 4.22: the optional third string is a decimal depth (C 4.17 rejects every third string)
                Arguments.of("non-numeric depth", nul("/wt", "t", "d")),
                Arguments.of("negative depth", nul("/wt", "t", "-1")),
                Arguments.of("empty depth", nul("/wt", "t", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedWatch")
    void malformedWatchIsEinval(String what, byte[] payload) {
        expectError(c.request(WATCH, payload), "EINVAL");
        assertThat(eventsOf(c)).isEmpty();
    }

    /**
     * Xen 4.22: watch paths, special ones included, are held to the caller's path-max quota; Dom0's socket has none
     * (4.17 refused more than 2048 bytes: EINVAL). Relative and absolute spellings stay one watch.
     */
    @Test
    void socketWatchPathsHaveNoLengthLimit() {
        String abs = base + "/" + repeat('x', 3073 - base.length() - 1);
        watch(c, abs, "a");
        String rel = base.substring(1) + "/" + repeat('w', 3000 - base.length());
        assertThat(rel).hasSize(3000);
        watch(c, rel, "r");
        expectError(c.watch("/local/domain/0/" + rel, "r"), "EEXIST");
        watch(c, "@" + repeat('x', 3071), "s");
        expectOk(c.request(RESET_WATCHES, new byte[0]), RESET_WATCHES);
    }

    @Test
    void largeTokenIsEchoedInEvents() {
        String token = repeat('k', 4000);
        watch(c, base, token);
        XsTestClient w = client();
        expectOk(w.write(base, "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base, token));
    }

    // ------------------------------------------------------------------ unwatch / reset

    @Test
    void unwatchStopsEvents() {
        watch(c, base, "tok");
        expectOk(c.unwatch(base, "tok"), UNWATCH);
        XsTestClient w = client();
        expectOk(w.write(base + "/a", "v"), WRITE);
        assertThat(eventsOf(c)).isEmpty();
        expectError(c.unwatch(base, "tok"), "ENOENT");
    }

    @Test
    void unwatchOfUnknownWatchIsEnoent() {
        watch(c, base, "tok");
        expectError(c.unwatch(base, "other"), "ENOENT");
        expectError(c.unwatch(base + "/a", "tok"), "ENOENT");
        expectError(c.unwatch(base.substring(1), "tok"), "ENOENT"); // relative: another path
        // C 4.17 does not validate the path here: an invalid one is simply not registered
        expectError(c.unwatch(base + "/", "tok"), "ENOENT");
        expectOk(c.unwatch(base, "tok"), UNWATCH);
    }

    @Test
    void unwatchMatchesRelativeWatchesByTheirCanonicalPath() {
        String rel = base.substring(1);
        watch(c, rel, "tok");
        expectOk(c.unwatch("/local/domain/0/" + rel, "tok"), UNWATCH);
        watch(c, "/local/domain/0/" + rel, "tok");
        expectOk(c.unwatch(rel, "tok"), UNWATCH);
    }

    static Stream<Arguments> malformedUnwatch() {
        return Stream.of(Arguments.of("path only", nul("/wt")),
                Arguments.of("unterminated token", cat(nul("/wt"), latin1("tok"))),
                Arguments.of("three strings", nul("/wt", "tok", "x")),
                Arguments.of("empty payload", new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedUnwatch")
    void malformedUnwatchIsEinval(String what, byte[] payload) {
        expectError(c.request(UNWATCH, payload), "EINVAL");
    }

    @Test
    void resetWatchesDropsAllWatches() {
        watch(c, base, "a");
        watch(c, base + "/x", "b");
        expectOk(c.request(RESET_WATCHES, new byte[0]), RESET_WATCHES);
        XsTestClient w = client();
        expectOk(w.write(base + "/x", "v"), WRITE);
        assertThat(eventsOf(c)).isEmpty();
        // and the same watches can be registered again
        watch(c, base, "a");
    }

    @Test
    void resetWatchesIgnoresItsPayload() {
        expectOk(c.request(RESET_WATCHES, nul("")), RESET_WATCHES);
        expectOk(c.request(RESET_WATCHES, nul("junk")), RESET_WATCHES);
    }

    // ------------------------------------------------------------------ what fires

    @Test
    void eventsCausedByOwnWritePrecedeItsReply() {
        expectOk(c.write(base + "/a", "A"), WRITE);
        watch(c, base, "tok");
        watch(c, base + "/a", "tok2");
        c.received().clear();
        int reqId = c.send(WRITE, 0, cat(nul(base + "/a"), latin1("B")));
        Msg reply = c.awaitReply(reqId);
        expectOk(reply, WRITE);
        List<String> seen = new ArrayList<>();
        for (Msg m : c.received()) {
            seen.add(typeName(m.type()) + " " + String.join("|", m.strings()));
        }
        assertThat(seen).containsExactly("WATCH_EVENT " + ev(base + "/a", "tok"),
                "WATCH_EVENT " + ev(base + "/a", "tok2"), "WRITE OK");
        c.expectSilence(QUIET);
    }

    @Test
    void eventsCausedByOwnRmPrecedeItsReply() {
        expectOk(c.write(base + "/o/p", "v"), WRITE);
        watch(c, base, "O");
        c.received().clear();
        Msg reply = c.rm(base + "/o");
        expectOk(reply, RM);
        assertThat(c.received()).hasSize(2);
        expectReply(c.received().get(0), WATCH_EVENT, nul(base + "/o", "O"));
    }

    @Test
    void writeByAnotherConnectionFires() {
        XsTestClient w = client();
        watch(c, base, "tok");
        expectOk(w.write(base + "/a", "C"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/a", "tok"));
        w.expectSilence(QUIET); // the writer has no watch
    }

    @Test
    void eventsForEachKindOfChange() {
        XsTestClient w = client();
        watch(c, base + "/x", "P");
        watch(c, base, "Q");
        // creation of several levels: one event, for the node written
        expectOk(w.write(base + "/x/y/z", "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/x/y/z", "P"), ev(base + "/x/y/z", "Q"));
        // MKDIR of an existing node: nothing; of a new one: an event
        expectOk(w.mkdir(base + "/x"), MKDIR);
        assertThat(eventsOf(c)).isEmpty();
        expectOk(w.mkdir(base + "/x/new"), MKDIR);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/x/new", "P"), ev(base + "/x/new", "Q"));
        // rewriting the same value still fires
        expectOk(w.write(base + "/x/y/z", "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/x/y/z", "P"), ev(base + "/x/y/z", "Q"));
        // permissions change
        expectOk(w.setPerms(base + "/x/y", "n0", "r1"), SET_PERMS);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/x/y", "P"), ev(base + "/x/y", "Q"));
        // RM of a missing node under an existing parent changes nothing
        expectOk(w.rm(base + "/x/nothere"), RM);
        assertThat(eventsOf(c)).isEmpty();
        // failed requests fire nothing
        expectError(w.rm(base + "/x/no/such"), "ENOENT");
        expectError(w.write(base + "/x//bad", "v"), "EINVAL");
        assertThat(eventsOf(c)).isEmpty();
    }

    @Test
    void watchMatchesWholePathComponentsOnly() {
        XsTestClient w = client();
        watch(c, base + "/ab", "pre");
        expectOk(w.write(base + "/abc", "v"), WRITE);
        expectOk(w.write(base + "/a", "v"), WRITE);
        assertThat(eventsOf(c)).isEmpty();
        expectOk(w.write(base + "/ab", "v"), WRITE);
        expectOk(w.write(base + "/ab/c", "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/ab", "pre"), ev(base + "/ab/c", "pre"));
    }

    @Test
    void rootWatchSeesEverything() {
        XsTestClient w = client();
        watch(c, "/", "root");
        expectOk(w.write(base + "/r", "v"), WRITE);
        expectOk(w.rm(base + "/r"), RM);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/r", "root"), ev(base + "/r", "root"));
        expectOk(c.request(RESET_WATCHES, new byte[0]), RESET_WATCHES);
    }

    @Test
    void eventsForEveryMatchingWatchInRegistrationOrder() {
        XsTestClient w = client();
        watch(c, base + "/s/a/a1", "deep");
        watch(c, base, "mid");
        watch(c, "/", "root");
        expectOk(w.write(base + "/s/a/a1", "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/s/a/a1", "deep"), ev(base + "/s/a/a1", "mid"),
                ev(base + "/s/a/a1", "root"));
        expectOk(c.request(RESET_WATCHES, new byte[0]), RESET_WATCHES);
    }

    /** C 4.17 sends a connection one event per change and token, even if several of its watches match. */
    @Test
    void overlappingWatchesWithOneTokenGiveOneEvent() {
        XsTestClient w = client();
        expectOk(w.write(base + "/a", ""), WRITE);
        watch(c, base, "T");
        watch(c, base + "/a", "T");
        expectOk(w.write(base + "/a", "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/a", "T"));
    }

    /** XSA-324: an event that would exceed 4096 bytes is not sent (C 4.17 drops it silently). */
    @Test
    void eventsOver4096BytesAreDropped() {
        String token = repeat('t', 4092 - base.length());
        watch(c, base, token);
        XsTestClient w = client();
        expectOk(w.write(base + "/a", "v"), WRITE); // event of exactly 4096 bytes
        c.sync();
        assertThat(c.events()).hasSize(1);
        assertThat(c.events().get(0).payload()).hasSize(4096);
        c.takeEvents();
        expectOk(w.write(base + "/ab", "v"), WRITE); // would be 4097 bytes
        assertThat(eventsOf(c)).isEmpty();
        expectOk(w.write(base + "/a", "w"), WRITE); // the watch still works
        assertThat(eventsOf(c)).containsExactly(ev(base + "/a", token));
    }

    @Test
    void relativeWatchGivesRelativeEventPaths() {
        XsTestClient w = client();
        String rel = base.substring(1);
        watch(c, rel, "R");
        expectOk(w.write("/local/domain/0/" + rel + "/a", "v"), WRITE);
        expectOk(w.write(rel + "/b", "v"), WRITE);
        expectOk(w.rm("/local/domain/0/" + rel), RM);
        assertThat(eventsOf(c)).containsExactly(ev(rel + "/a", "R"), ev(rel + "/b", "R"), ev(rel, "R"));
    }

    @Test
    void relativeAndAbsoluteWatchesOfOnePathEachGetTheirForm() {
        XsTestClient w = client();
        String rel = base.substring(1);
        watch(c, rel, "rel");
        watch(c, "/local/domain/0/" + rel, "abs");
        expectOk(w.write("/local/domain/0/" + rel, "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(rel, "rel"), ev("/local/domain/0/" + rel, "abs"));
    }

    @Test
    void specialWatchesDoNotFireOnNodeChanges() {
        XsTestClient w = client();
        watch(c, "@introduceDomain", "I");
        watch(c, "@releaseDomain", "R");
        watch(c, "@x", "X");
        expectOk(w.write(base, "v"), WRITE);
        expectOk(w.rm(base), RM);
        assertThat(eventsOf(c)).isEmpty();
        expectOk(c.request(RESET_WATCHES, new byte[0]), RESET_WATCHES);
    }

    // ------------------------------------------------------------------ removal of subtrees

    private void subtree() {
        for (String p : List.of("/s/a/a1", "/s/a/a2", "/s/b", "/s/c/c1/c2")) {
            expectOk(c.write(base + p, "v"), WRITE);
        }
    }

    @Test
    void rmFiresWatchesInsideTheRemovedSubtreeWithTheirOwnPath() {
        subtree();
        XsTestClient w = client();
        watch(w, base, "PARENT");
        watch(w, base + "/s/c/c1/c2", "LEAF");
        watch(w, base + "/s/a", "A");
        watch(w, base + "/s/c/c1/c2/nx", "NX"); // below a leaf: that node never existed
        watch(w, base + "/other", "UNREL");
        expectOk(c.rm(base + "/s"), RM);
        assertThat(eventsOf(w)).containsExactlyInAnyOrder(ev(base + "/s/a", "A"), ev(base + "/s/c/c1/c2", "LEAF"),
                ev(base + "/s", "PARENT"));
    }

    /** C 4.17's order: the subtree's nodes depth first, children before parents, then the removed node itself. */
    @Test
    void rmEventOrderFollowsTheSubtreeChildrenFirst() {
        subtree();
        XsTestClient w = client();
        watch(w, base, "wr");
        for (String p : List.of("/s", "/s/a", "/s/a/a1", "/s/a/a2", "/s/b", "/s/c", "/s/c/c1", "/s/c/c1/c2")) {
            watch(w, base + p, p.substring(p.lastIndexOf('/') + 1));
        }
        expectOk(c.rm(base + "/s"), RM);
        assertThat(eventsOf(w)).containsExactly(ev(base + "/s/a/a1", "a1"), ev(base + "/s/a/a2", "a2"),
                ev(base + "/s/a", "a"), ev(base + "/s/b", "b"), ev(base + "/s/c/c1/c2", "c2"),
                ev(base + "/s/c/c1", "c1"), ev(base + "/s/c", "c"), ev(base + "/s", "wr"), ev(base + "/s", "s"));
    }

    @Test
    void rmOfAnAncestorFiresAWatchOnARemovedNodeWithTheWatchPath() {
        expectOk(c.write(base + "/x/y/z", "v"), WRITE);
        XsTestClient w = client();
        watch(w, base + "/x/y/z", "deep");
        watch(w, base + "/x/y/z/q", "below"); // never existed: no event
        expectOk(c.rm(base + "/x"), RM);
        assertThat(eventsOf(w)).containsExactly(ev(base + "/x/y/z", "deep"));
    }

    @Test
    void rmFiresRelativeWatchesInsideTheSubtreeWithRelativePaths() {
        String rel = base.substring(1);
        expectOk(c.write(rel + "/in/leaf", "v"), WRITE);
        XsTestClient w = client();
        watch(w, rel + "/in/leaf", "L");
        expectOk(c.rm("/local/domain/0/" + rel), RM);
        assertThat(eventsOf(w)).containsExactly(ev(rel + "/in/leaf", "L"));
    }

    // ------------------------------------------------------------------ transactions

    @Test
    void transactionEventsOnlyAtCommit() {
        XsTestClient t = client();
        watch(c, base, "ORD");
        int tx = t.startTransaction();
        for (String n : List.of("z", "a", "m")) {
            expectOk(t.write(tx, base + "/ord/" + n, "v"), WRITE);
        }
        assertThat(eventsOf(c)).isEmpty();
        expectOk(t.endTransaction(tx, true), TRANSACTION_END);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/ord/z", "ORD"), ev(base + "/ord/a", "ORD"),
                ev(base + "/ord/m", "ORD"));
    }

    @Test
    void ownCommitEventsPrecedeTheCommitReply() {
        watch(c, base, "TX");
        int tx = c.startTransaction();
        expectOk(c.write(tx, base + "/q", "v"), WRITE);
        expectOk(c.write(tx, base + "/p", "v"), WRITE);
        assertThat(c.takeEvents()).isEmpty();
        c.received().clear();
        Msg end = c.endTransaction(tx, true);
        expectOk(end, TRANSACTION_END);
        List<String> seen = new ArrayList<>();
        for (Msg m : c.received()) {
            seen.add(typeName(m.type()) + " " + String.join("|", m.strings()));
        }
        assertThat(seen).containsExactly("WATCH_EVENT " + ev(base + "/q", "TX"), "WATCH_EVENT " + ev(base + "/p", "TX"),
                "TRANSACTION_END OK");
    }

    @Test
    void abortedTransactionFiresNothing() {
        XsTestClient t = client();
        watch(c, base, "T");
        int tx = t.startTransaction();
        expectOk(t.write(tx, base + "/t9", "v"), WRITE);
        expectOk(t.request(RM, tx, nul(base)), RM);
        expectOk(t.endTransaction(tx, false), TRANSACTION_END);
        assertThat(eventsOf(c)).isEmpty();
    }

    @Test
    void failedCommitFiresNothing() {
        XsTestClient t = client();
        XsTestClient x = client();
        expectOk(c.write(base + "/r", ""), WRITE);
        watch(c, base, "T");
        int tx = t.startTransaction();
        t.read(tx, base + "/r");
        expectOk(t.write(tx, base + "/t8", "v"), WRITE);
        expectOk(x.write(base + "/r", "ext"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/r", "T"));
        expectError(t.endTransaction(tx, true), "EAGAIN");
        assertThat(eventsOf(c)).isEmpty();
    }

    @Test
    void committedRemovalFiresForTheSubtree() {
        expectOk(c.write(base + "/sub/deep", "v"), WRITE);
        watch(c, base, "W");
        watch(c, base + "/sub/deep", "D");
        int tx = c.startTransaction();
        expectOk(c.request(RM, tx, nul(base + "/sub")), RM);
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/sub", "W"), ev(base + "/sub/deep", "D"));
    }

    /**
     * libxl's device removal: inside one transaction {@code rm a/b/c}, then {@code rm a/b}. C 4.22 sends one event
     * per watch and removed node, in the order the transaction first accessed the nodes (the removed node, its
     * parent, then the removed node's children).
     */
    @Test
    void removingADeviceThenItsParentInATransactionFiresEachWatchOnceInCsOrder() {
        expectOk(c.write(base + "/a/b/c/state", "4"), WRITE);
        XsTestClient w = client();
        watch(w, base + "/a/b/c/state", "st");
        watch(w, base + "/a/b/c", "dir");
        watch(w, base + "/a", "top");
        int tx = c.startTransaction();
        expectOk(c.request(RM, tx, nul(base + "/a/b/c")), RM);
        expectOk(c.request(RM, tx, nul(base + "/a/b")), RM);
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        assertThat(eventsOf(w)).containsExactly(ev(base + "/a/b/c", "dir"), ev(base + "/a/b/c", "top"),
                ev(base + "/a/b", "top"), ev(base + "/a/b/c/state", "st"));
    }

    /** C fires a commit's events in the order of first access, reads included: /x/b was read before /x/a changed. */
    @Test
    void commitEventsFollowTheOrderOfFirstAccess() {
        expectOk(c.write(base + "/x/b", "0"), WRITE);
        XsTestClient w = client();
        watch(w, base + "/x", "X");
        int tx = c.startTransaction();
        expectReply(c.read(tx, base + "/x/b"), READ, latin1("0"));
        expectOk(c.write(tx, base + "/x/a", "1"), WRITE);
        expectOk(c.write(tx, base + "/x/b", "2"), WRITE);
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        assertThat(eventsOf(w)).containsExactly(ev(base + "/x/b", "X"), ev(base + "/x/a", "X"));
    }

    /**
     * C 4.17 fires once per node the transaction changed, however often it changed it, and not at all for a node it
     * created and removed again.
     */
    @Test
    void commitFiresOncePerChangedNode() {
        watch(c, base, "W");
        int tx = c.startTransaction();
        expectOk(c.write(tx, base + "/tmp", "v"), WRITE);
        expectOk(c.request(RM, tx, nul(base + "/tmp")), RM);
        expectOk(c.write(tx, base + "/two", "v1"), WRITE);
        expectOk(c.write(tx, base + "/two", "v2"), WRITE);
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/two", "W"));
    }

    @Test
    void commitOfMkdirOfAnExistingNodeFiresNothing() {
        expectOk(c.write(base + "/two", "v"), WRITE);
        watch(c, base, "W");
        int tx = c.startTransaction();
        expectOk(c.request(MKDIR, tx, nul(base + "/two")), MKDIR);
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        assertThat(eventsOf(c)).isEmpty();
    }

    // ------------------------------------------------------------------ depth (Xen 4.22)

    /**
     * Xen 4.22 (docs/misc/xenstore.txt): WATCH {@code <wpath>|<token>|[<depth>|]}; depth 0 matches only the path
     * itself, 1 also its direct children, and so on. C 4.17 answers EINVAL to any third string.
     */
    @Test
    void depthLimitsHowFarBelowTheWatchedPathEventsMatch() {
        XsTestClient w = client();
        expectOk(c.request(WATCH, nul(base, "d0", "0")), WATCH);
        expectOk(c.request(WATCH, nul(base, "d1", "1")), WATCH);
        expectOk(c.request(WATCH, nul(base, "d2", "2")), WATCH);
        assertThat(eventsOf(c)).containsExactly(ev(base, "d0"), ev(base, "d1"), ev(base, "d2"));
        expectOk(w.write(base, "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base, "d0"), ev(base, "d1"), ev(base, "d2"));
        expectOk(w.write(base + "/c", "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/c", "d1"), ev(base + "/c", "d2"));
        expectOk(w.write(base + "/c/g", "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(base + "/c/g", "d2"));
        expectOk(w.write(base + "/c/g/h", "v"), WRITE);
        assertThat(eventsOf(c)).isEmpty();
        // the depth is not part of the watch's identity
        expectError(c.request(WATCH, nul(base, "d0", "5")), "EEXIST");
        expectOk(c.unwatch(base, "d1"), UNWATCH);
    }

    @Test
    void depthOfRelativeWatchCountsBelowTheWatchedPath() {
        XsTestClient w = client();
        String rel = base.substring(1);
        expectOk(c.request(WATCH, nul(rel, "r1", "1")), WATCH);
        assertThat(eventsOf(c)).containsExactly(ev(rel, "r1"));
        expectOk(w.write(rel + "/c", "v"), WRITE);
        expectOk(w.write(rel + "/c/g", "v"), WRITE);
        assertThat(eventsOf(c)).containsExactly(ev(rel + "/c", "r1"));
    }
}
