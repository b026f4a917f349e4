package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.CONTROL;
import static org.jxenstored.wire.XsTestClient.DIRECTORY;
import static org.jxenstored.wire.XsTestClient.GET_DOMAIN_PATH;
import static org.jxenstored.wire.XsTestClient.GET_PERMS;
import static org.jxenstored.wire.XsTestClient.IS_DOMAIN_INTRODUCED;
import static org.jxenstored.wire.XsTestClient.MKDIR;
import static org.jxenstored.wire.XsTestClient.READ;
import static org.jxenstored.wire.XsTestClient.RESET_WATCHES;
import static org.jxenstored.wire.XsTestClient.RM;
import static org.jxenstored.wire.XsTestClient.SET_PERMS;
import static org.jxenstored.wire.XsTestClient.TRANSACTION_END;
import static org.jxenstored.wire.XsTestClient.TRANSACTION_START;
import static org.jxenstored.wire.XsTestClient.UNWATCH;
import static org.jxenstored.wire.XsTestClient.WATCH;
import static org.jxenstored.wire.XsTestClient.WRITE;
import static org.jxenstored.wire.XsTestClient.cat;
import static org.jxenstored.wire.XsTestClient.expectError;
import static org.jxenstored.wire.XsTestClient.expectOk;
import static org.jxenstored.wire.XsTestClient.expectReply;
import static org.jxenstored.wire.XsTestClient.latin1;
import static org.jxenstored.wire.XsTestClient.nul;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient.Msg;

/** TRANSACTION_START / TRANSACTION_END and requests inside transactions. */
class TransactionOpsTest extends WireTestBase {

    // ------------------------------------------------------------------ start / end

    @Test
    void startReturnsADecimalIdAndEchoesTheHeader() {
        int reqId = c.send(TRANSACTION_START, 0, nul(""));
        Msg r = c.awaitReply(reqId);
        assertThat(r.type()).isEqualTo(TRANSACTION_START);
        assertThat(r.txId()).isZero();
        assertThat(r.text()).matches("[1-9][0-9]*\0");
        int tx = Integer.parseUnsignedInt(r.strings().get(0));
        Msg end = c.endTransaction(tx, false);
        expectOk(end, TRANSACTION_END);
        assertThat(end.txId()).isEqualTo(tx);
    }

    @Test
    void startAcceptsAnyPayload() {
        // C ignores TRANSACTION_START's payload ("" and "\0" are what clients send)
        for (byte[] p : List.of(new byte[0], nul(""), nul("x"), latin1("abc"), nul("", ""))) {
            Msg r = c.request(TRANSACTION_START, p);
            assertThat(r.type()).as("TRANSACTION_START %s", XsTestClient.show(p)).isEqualTo(TRANSACTION_START);
            expectOk(c.endTransaction(Integer.parseUnsignedInt(r.strings().get(0)), false), TRANSACTION_END);
        }
    }

    @Test
    void concurrentTransactionsOnOneConnectionHaveDistinctIds() {
        int a = c.startTransaction();
        int b = c.startTransaction();
        int d = c.startTransaction();
        assertThat(List.of(a, b, d)).doesNotHaveDuplicates().doesNotContain(0);
        for (int t : List.of(a, b, d)) {
            expectOk(c.endTransaction(t, false), TRANSACTION_END);
        }
    }

    static Stream<Arguments> badEndArguments() {
        return Stream.of(Arguments.of("X", nul("X")), Arguments.of("empty payload", new byte[0]),
                Arguments.of("T without NUL", latin1("T")), Arguments.of("F without NUL", latin1("F")),
                Arguments.of("lower-case t", nul("t")), Arguments.of("lower-case f", nul("f")),
                Arguments.of("TT", nul("TT")), Arguments.of("T plus extra", nul("T", "extra")),
                Arguments.of("empty string", nul("")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEndArguments")
    void badEndArgumentIsEinvalAndKeepsTheTransaction(String what, byte[] payload) {
        int tx = c.startTransaction();
        expectOk(c.write(tx, base, "in-tx"), WRITE);
        Msg r = c.request(TRANSACTION_END, tx, payload);
        expectError(r, "EINVAL");
        assertThat(r.txId()).isEqualTo(tx);
        // still open: its view is intact and it can be committed
        expectReply(c.read(tx, base), READ, latin1("in-tx"));
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        expectReply(c.read(base), READ, latin1("in-tx"));
    }

    @Test
    void endOfUnknownTransactionIsEnoent() {
        expectError(c.request(TRANSACTION_END, 0, nul("T")), "ENOENT");
        Msg r = c.request(TRANSACTION_END, 12345, nul("T"));
        expectError(r, "ENOENT");
        assertThat(r.txId()).isEqualTo(12345);
        int tx = c.startTransaction();
        expectOk(c.endTransaction(tx, false), TRANSACTION_END);
        expectError(c.endTransaction(tx, false), "ENOENT");
        expectError(c.endTransaction(tx, true), "ENOENT");
    }

    @Test
    void transactionIdsBelongToTheirConnection() {
        XsTestClient other = client();
        int tx = c.startTransaction();
        expectError(other.read(tx, "/tool"), "ENOENT");
        expectError(other.endTransaction(tx, true), "ENOENT");
        expectOk(c.endTransaction(tx, false), TRANSACTION_END);
    }

    @Test
    void nestedStartIsEbusy() {
        int tx = c.startTransaction();
        Msg r = c.request(TRANSACTION_START, tx, nul(""));
        expectError(r, "EBUSY");
        assertThat(r.txId()).isEqualTo(tx);
        expectOk(c.endTransaction(tx, false), TRANSACTION_END);
    }

    @Test
    void startWithUnknownTransactionIdIsEnoent() {
        expectError(c.request(TRANSACTION_START, 9999, nul("")), "ENOENT");
    }

    @Test
    void requestsWithAnUnknownTransactionIdAreEnoent() {
        expectError(c.request(READ, 12345, nul("/tool")), "ENOENT");
        expectError(c.request(WRITE, 12345, cat(nul(base), latin1("x"))), "ENOENT");
        expectError(c.request(MKDIR, 12345, nul(base)), "ENOENT");
        expectError(c.request(RM, 12345, nul(base)), "ENOENT");
        expectError(c.request(DIRECTORY, 12345, nul("/")), "ENOENT");
        expectError(c.request(GET_PERMS, 12345, nul("/")), "ENOENT");
        expectError(c.request(SET_PERMS, 12345, nul("/tool", "n0")), "ENOENT");
        expectError(c.request(XsTestClient.DIRECTORY_PART, 12345, nul("/", "0")), "ENOENT");
        expectError(c.request(GET_DOMAIN_PATH, 12345, nul("0")), "ENOENT");
        expectError(c.request(IS_DOMAIN_INTRODUCED, 12345, nul("0")), "ENOENT");
        expectError(c.request(RESET_WATCHES, 12345, new byte[0]), "ENOENT");
        expectError(c.request(CONTROL, 12345, nul("check")), "ENOENT");
        expectError(c.read(base), "ENOENT");
        // an unknown type is ENOSYS before the transaction is looked at
        expectError(c.request(100, 12345, new byte[0]), "ENOSYS");
    }

    @Test
    void watchAndUnwatchIgnoreTheTransactionId() {
        Msg w = c.request(WATCH, 12345, nul(base, "tok"));
        expectOk(w, WATCH);
        assertThat(w.txId()).isEqualTo(12345);
        c.sync();
        assertThat(c.takeEvents()).containsExactly(base + "|tok");
        expectOk(c.request(UNWATCH, 12345, nul(base, "tok")), UNWATCH);
    }

    @Test
    void nonNodeRequestsWorkInsideATransaction() {
        int tx = c.startTransaction();
        expectReply(c.request(GET_DOMAIN_PATH, tx, nul("0")), GET_DOMAIN_PATH, nul("/local/domain/0"));
        expectReply(c.request(IS_DOMAIN_INTRODUCED, tx, nul("0")), IS_DOMAIN_INTRODUCED, nul("T"));
        expectReply(c.request(CONTROL, tx, nul("check")), CONTROL, nul("OK"));
        expectOk(c.endTransaction(tx, false), TRANSACTION_END);
    }

    // ------------------------------------------------------------------ limits

    @Test
    void socketConnectionsAreExemptFromTheTransactionQuotaByDefault() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(c.startTransaction());
        }
        for (int t : ids) {
            expectOk(c.endTransaction(t, false), TRANSACTION_END);
        }
    }

    @Test
    void perConnectionTransactionLimitIsEnospc() {
        assumeOwnDaemon();
        Consumer<org.jxenstored.daemon.DaemonConfig> cfg = conf -> {
            conf.limits.set(QuotaKind.TRANSACTIONS, 3);
            conf.limits.privilegedExempt = false;
        };
        try (TestDaemon d = TestDaemon.start(cfg); XsTestClient x = XsTestClient.connect(d.socketPath());
                XsTestClient y = XsTestClient.connect(d.socketPath())) {
            int t1 = x.startTransaction();
            x.startTransaction();
            x.startTransaction();
            expectError(x.request(TRANSACTION_START, nul("")), "ENOSPC");
            // the limit is per connection
            int other = y.startTransaction();
            expectOk(y.endTransaction(other, false), TRANSACTION_END);
            // ending one makes room again
            expectOk(x.endTransaction(t1, false), TRANSACTION_END);
            x.startTransaction();
            expectError(x.request(TRANSACTION_START, nul("")), "ENOSPC");
            assertDaemonHealthy(d.socketPath());
        }
    }

    // ------------------------------------------------------------------ isolation

    @Test
    void transactionSeesItsOwnWritesAndOthersDoNotBeforeCommit() {
        expectOk(c.write(base + "/a", "A"), WRITE);
        XsTestClient other = client();
        int tx = c.startTransaction();
        expectOk(c.write(tx, base + "/a", "inside"), WRITE);
        expectOk(c.write(tx, base + "/new/deep", "n"), WRITE);
        expectReply(c.read(tx, base + "/a"), READ, latin1("inside"));
        expectReply(c.read(tx, base + "/new"), READ, new byte[0]);
        expectReply(c.request(DIRECTORY, tx, nul(base)), DIRECTORY, nul("a", "new"));
        // outside: same connection without the tx id, and another connection
        expectReply(c.read(base + "/a"), READ, latin1("A"));
        expectReply(other.read(base + "/a"), READ, latin1("A"));
        expectError(other.read(base + "/new"), "ENOENT");
        expectReply(other.directory(base), DIRECTORY, nul("a"));
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        expectReply(other.read(base + "/a"), READ, latin1("inside"));
        expectReply(other.read(base + "/new/deep"), READ, latin1("n"));
        expectReply(other.directory(base), DIRECTORY, nul("a", "new"));
    }

    /**
     * As C xenstored (4.17 and 4.22): a node counts as it is when the transaction first accesses it, so changes made
     * outside before that are seen, and are no conflict.
     */
    @Test
    void aTransactionSeesNodesAsTheyAreAtItsFirstAccess() {
        expectOk(c.write(base + "/a", "old"), WRITE);
        XsTestClient other = client();
        int tx = c.startTransaction();
        expectOk(other.write(base + "/a", "new"), WRITE);
        expectOk(other.write(base + "/b", "created"), WRITE);
        expectReply(c.read(tx, base + "/a"), READ, latin1("new"));
        expectReply(c.read(tx, base + "/b"), READ, latin1("created"));
        expectReply(c.request(DIRECTORY, tx, nul(base)), DIRECTORY, nul("a", "b"));
        expectOk(c.write(tx, base + "/sum", "newcreated"), WRITE);
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        expectReply(c.read(base + "/sum"), READ, latin1("newcreated"));
    }

    @Test
    void aReadValueStaysTheSameForTheWholeTransaction() {
        expectOk(c.write(base, "first"), WRITE);
        XsTestClient other = client();
        int tx = c.startTransaction();
        expectReply(c.read(tx, base), READ, latin1("first"));
        expectOk(other.write(base, "newer"), WRITE);
        expectReply(c.read(tx, base), READ, latin1("first"));
        expectOk(c.endTransaction(tx, false), TRANSACTION_END);
    }

    @Test
    void abortDiscardsEverything() {
        expectOk(c.write(base + "/a", "A"), WRITE);
        int tx = c.startTransaction();
        expectOk(c.write(tx, base + "/a", "changed"), WRITE);
        expectOk(c.write(tx, base + "/b/c", "new"), WRITE);
        expectOk(c.request(RM, tx, nul(base + "/a")), RM);
        expectOk(c.request(SET_PERMS, tx, nul(base, "n0", "r3")), SET_PERMS);
        expectOk(c.endTransaction(tx, false), TRANSACTION_END);
        expectReply(c.read(base + "/a"), READ, latin1("A"));
        expectError(c.read(base + "/b"), "ENOENT");
        expectReply(c.getPerms(base), GET_PERMS, nul("n0"));
        expectReply(c.directory(base), DIRECTORY, nul("a"));
    }

    @Test
    void rmInsideTransaction() {
        expectOk(c.write(base + "/a/x", "A"), WRITE);
        int tx = c.startTransaction();
        expectOk(c.request(RM, tx, nul(base + "/a")), RM);
        expectError(c.read(tx, base + "/a/x"), "ENOENT");
        expectReply(c.read(base + "/a/x"), READ, latin1("A"));
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        expectError(c.read(base + "/a/x"), "ENOENT");
        expectReply(c.directory(base), DIRECTORY, new byte[0]);
    }

    @Test
    void e2bigDirectoryInsideATransaction() {
        NodeOpsTest.makeChildren(c, base, 4097);
        int tx = c.startTransaction();
        expectError(c.request(DIRECTORY, tx, nul(base)), "E2BIG");
        expectOk(c.endTransaction(tx, false), TRANSACTION_END);
    }

    // ------------------------------------------------------------------ conflicts

    /** One conflict scenario: set-up, what the transaction does, what another connection does meanwhile. */
    private void conflictCase(Consumer<Integer> inside, Runnable outside, String expectedEnd) {
        expectOk(c.write(base + "/a", "A"), WRITE);
        expectOk(c.write(base + "/b", "B"), WRITE);
        expectOk(c.write(base + "-unrelated", "U"), WRITE);
        int tx = c.startTransaction();
        inside.accept(tx);
        outside.run();
        Msg end = c.endTransaction(tx, true);
        if (expectedEnd == null) {
            expectOk(end, TRANSACTION_END);
        } else {
            expectError(end, expectedEnd);
        }
        // the transaction is over either way
        expectError(c.endTransaction(tx, false), "ENOENT");
    }

    @Test
    void eagainWhenANodeReadWasChanged() {
        XsTestClient x = client();
        conflictCase(tx -> c.read(tx, base + "/a"), () -> expectOk(x.write(base + "/a", "Z"), WRITE), "EAGAIN");
    }

    @Test
    void eagainWhenANodeReadWasRewrittenWithTheSameValue() {
        XsTestClient x = client();
        conflictCase(tx -> c.read(tx, base + "/a"), () -> expectOk(x.write(base + "/a", "A"), WRITE), "EAGAIN");
    }

    @Test
    void eagainWhenAListedDirectoryGainedAChild() {
        XsTestClient x = client();
        conflictCase(tx -> c.request(DIRECTORY, tx, nul(base)),
                () -> expectOk(x.write(base + "/new", "Z"), WRITE), "EAGAIN");
    }

    @Test
    void eagainWhenANodeReadAsMissingWasCreated() {
        XsTestClient x = client();
        conflictCase(tx -> expectError(c.read(tx, base + "/zz"), "ENOENT"),
                () -> expectOk(x.write(base + "/zz", "Z"), WRITE), "EAGAIN");
    }

    @Test
    void eagainWhenANodeReadHadItsPermissionsChanged() {
        XsTestClient x = client();
        conflictCase(tx -> c.read(tx, base + "/a"), () -> expectOk(x.setPerms(base + "/a", "n0", "r1"), SET_PERMS),
                "EAGAIN");
    }

    @Test
    void eagainWhenPermissionsReadWereChanged() {
        XsTestClient x = client();
        conflictCase(tx -> c.request(GET_PERMS, tx, nul(base + "/a")),
                () -> expectOk(x.setPerms(base + "/a", "n0", "r1"), SET_PERMS), "EAGAIN");
    }

    @Test
    void eagainWhenANodeReadWasRemoved() {
        XsTestClient x = client();
        conflictCase(tx -> c.read(tx, base + "/a"), () -> expectOk(x.rm(base + "/a"), RM), "EAGAIN");
    }

    // The lost-update cases of issue 12: a change made without reading the node first conflicts as in C (4.17 and
    // 4.22), so the other party's acknowledged write is never silently overwritten.

    @Test
    void eagainWhenANodeOnlyWrittenWasWrittenOutside() {
        XsTestClient x = client();
        conflictCase(tx -> expectOk(c.write(tx, base + "/a", "T"), WRITE),
                () -> expectOk(x.write(base + "/a", "Z"), WRITE), "EAGAIN");
        expectReply(c.read(base + "/a"), READ, latin1("Z"));
    }

    @Test
    void eagainWhenANodeOnlyWrittenWasCommittedByAnotherTransaction() {
        XsTestClient x = client();
        conflictCase(tx -> expectOk(c.write(tx, base + "/a", "T"), WRITE), () -> {
            int u = x.startTransaction();
            expectOk(x.write(u, base + "/a", "U"), WRITE);
            expectOk(x.endTransaction(u, true), TRANSACTION_END);
        }, "EAGAIN");
        expectReply(c.read(base + "/a"), READ, latin1("U"));
    }

    @Test
    void eagainWhenANodeCreatedInTheTransactionWasCreatedOutside() {
        XsTestClient x = client();
        conflictCase(tx -> expectOk(c.write(tx, base + "/n1", "T"), WRITE),
                () -> expectOk(x.write(base + "/n1", "Z"), WRITE), "EAGAIN");
        expectReply(c.read(base + "/n1"), READ, latin1("Z"));
    }

    @Test
    void eagainWhenARemovedNodeWasWrittenOutside() {
        XsTestClient x = client();
        conflictCase(tx -> expectOk(c.request(RM, tx, nul(base + "/a")), RM),
                () -> expectOk(x.write(base + "/a", "y"), WRITE), "EAGAIN");
        expectReply(c.read(base + "/a"), READ, latin1("y"));
    }

    @Test
    void eagainWhenARemovedSubtreeWasWrittenInto() {
        XsTestClient x = client();
        conflictCase(tx -> expectOk(c.request(RM, tx, nul(base)), RM),
                () -> expectOk(x.write(base + "/a/new", "Z"), WRITE), "EAGAIN");
        expectReply(c.read(base + "/a/new"), READ, latin1("Z"));
    }

    @Test
    void eagainWhenANodeWhosePermissionsWereSetWasWrittenOutside() {
        XsTestClient x = client();
        conflictCase(tx -> expectOk(c.request(SET_PERMS, tx, nul(base + "/a", "n0", "r1")), SET_PERMS),
                () -> expectOk(x.write(base + "/a", "Z"), WRITE), "EAGAIN");
        expectReply(c.request(GET_PERMS, nul(base + "/a")), GET_PERMS, nul("n0"));
    }

    @Test
    void noEagainForAWriteOutsideBeforeTheFirstAccess() {
        XsTestClient x = client();
        expectOk(c.write(base + "/a", "A"), WRITE);
        int tx = c.startTransaction();
        expectOk(x.write(base + "/a", "Z"), WRITE);
        expectOk(c.write(tx, base + "/a", "T"), WRITE);
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        expectReply(c.read(base + "/a"), READ, latin1("T"));
    }

    // The one merge kept (docs/protocol.md): creating different children of one parent on both sides.

    @Test
    void siblingsCreatedOnBothSidesAreBothKept() {
        XsTestClient x = client();
        conflictCase(tx -> expectOk(c.write(tx, base + "/n1", "T"), WRITE),
                () -> expectOk(x.write(base + "/n2", "Z"), WRITE), null);
        expectReply(c.read(base + "/n1"), READ, latin1("T"));
        expectReply(c.read(base + "/n2"), READ, latin1("Z"));
    }

    @Test
    void aRemovalThatReadTheSubtreeFirstConflicts() {
        XsTestClient x = client();
        conflictCase(tx -> {
            c.request(DIRECTORY, tx, nul(base));
            expectOk(c.request(RM, tx, nul(base)), RM);
        }, () -> expectOk(x.write(base + "/new", "Z"), WRITE), "EAGAIN");
    }

    @Test
    void noEagainForAnUnrelatedWrite() {
        XsTestClient x = client();
        conflictCase(tx -> c.read(tx, base + "/a"), () -> expectOk(x.write(base + "-unrelated", "Z"), WRITE), null);
    }

    @Test
    void noEagainForASiblingWrite() {
        XsTestClient x = client();
        conflictCase(tx -> c.read(tx, base + "/a"), () -> expectOk(x.write(base + "/b", "Z"), WRITE), null);
    }

    @Test
    void noEagainWhenASiblingIsCreatedNextToANodeRead() {
        XsTestClient x = client();
        conflictCase(tx -> c.read(tx, base + "/a"), () -> expectOk(x.write(base + "/new", "Z"), WRITE), null);
    }

    @Test
    void noEagainWhenAChildOfAListedDirectoryOnlyChangedItsValue() {
        XsTestClient x = client();
        conflictCase(tx -> c.request(DIRECTORY, tx, nul(base)), () -> expectOk(x.write(base + "/a", "Z"), WRITE),
                null);
    }

    @Test
    void noEagainForAWriteOnlyTransactionAndAWriteElsewhere() {
        XsTestClient x = client();
        conflictCase(tx -> expectOk(c.write(tx, base + "/a", "T"), WRITE),
                () -> expectOk(x.write(base + "-unrelated", "Z"), WRITE), null);
        expectReply(c.read(base + "/a"), READ, latin1("T"));
    }

    @Test
    void noEagainForAWriteOnlyTransactionAndASiblingWrite() {
        XsTestClient x = client();
        conflictCase(tx -> expectOk(c.write(tx, base + "/a", "T"), WRITE),
                () -> expectOk(x.write(base + "/b", "Z"), WRITE), null);
        expectReply(c.read(base + "/a"), READ, latin1("T"));
        expectReply(c.read(base + "/b"), READ, latin1("Z"));
    }

    @Test
    void noEagainForAnEmptyTransaction() {
        XsTestClient x = client();
        conflictCase(tx -> { }, () -> expectOk(x.write(base + "/a", "Z"), WRITE), null);
    }

    @Test
    void noEagainWhenTheConflictingTransactionIsAborted() {
        XsTestClient x = client();
        expectOk(c.write(base, "A"), WRITE);
        int tx = c.startTransaction();
        c.read(tx, base);
        expectOk(x.write(base, "Z"), WRITE);
        expectOk(c.endTransaction(tx, false), TRANSACTION_END);
    }

    @Test
    void failedRequestsInsideATransactionDoNotSpoilItsCommit() {
        int tx = c.startTransaction();
        expectOk(c.write(tx, base + "/q", "x"), WRITE);
        expectError(c.read(tx, base + "/missing"), "ENOENT");
        expectError(c.request(WRITE, tx, cat(nul(base + "//x"), latin1("v"))), "EINVAL");
        expectError(c.request(SET_PERMS, tx, nul(base + "/q", "x")), "EINVAL");
        expectError(c.request(RM, tx, nul(base + "/nope/nope")), "ENOENT");
        expectError(c.request(DIRECTORY, tx, nul(base + "/missing")), "ENOENT");
        expectError(c.request(WRITE, tx, latin1(base + "/q")), "EINVAL");
        expectError(c.request(100, tx, new byte[0]), "ENOSYS");
        expectOk(c.endTransaction(tx, true), TRANSACTION_END);
        expectReply(c.read(base + "/q"), READ, latin1("x"));
    }

    @Test
    void twoTransactionsOfOneConnectionWritingTheSameNode() {
        expectOk(c.write(base, "orig"), WRITE);
        int t1 = c.startTransaction();
        int t2 = c.startTransaction();
        expectOk(c.write(t1, base, "one"), WRITE);
        expectOk(c.write(t2, base, "two"), WRITE);
        expectOk(c.endTransaction(t1, true), TRANSACTION_END);
        // as C: the second one wrote a node the first changed since
        expectError(c.endTransaction(t2, true), "EAGAIN");
        expectReply(c.read(base), READ, latin1("one"));
    }

    // ------------------------------------------------------------------ RESET_WATCHES

    @Test
    void resetWatchesInsideATransactionEndsAllTransactionsOfTheConnection() {
        int other = c.startTransaction();
        int tx = c.startTransaction();
        expectOk(c.write(tx, base, "discarded"), WRITE);
        expectOk(c.write(other, base + "-2", "discarded"), WRITE);
        Msg r = c.request(RESET_WATCHES, tx, new byte[0]);
        expectOk(r, RESET_WATCHES);
        assertThat(r.txId()).isEqualTo(tx);
        expectError(c.read(tx, "/tool"), "ENOENT");
        expectError(c.endTransaction(tx, true), "ENOENT");
        expectError(c.endTransaction(other, true), "ENOENT");
        expectError(c.read(base), "ENOENT");
        expectError(c.read(base + "-2"), "ENOENT");
        // and new ones can be started
        expectOk(c.endTransaction(c.startTransaction(), false), TRANSACTION_END);
    }

    @Test
    void resetWatchesOutsideATransactionAlsoEndsTheTransactions() {
        int tx = c.startTransaction();
        expectOk(c.request(RESET_WATCHES, new byte[0]), RESET_WATCHES);
        expectError(c.read(tx, "/tool"), "ENOENT");
        expectError(c.endTransaction(tx, false), "ENOENT");
    }
}
