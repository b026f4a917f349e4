package org.jxenstored.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.FakeConnection;
import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;

/** C 4.22's live-update session (lu.c, lu_daemon.c), answer for answer, with a stand-in for the hand-over. */
class LiveUpdateTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;
    private Server server;
    private LiveUpdate lu;
    private long now;
    private final List<HandoverRequest> handedOver = new ArrayList<>();
    private String handoverAnswer = "OK";
    private int ticking;
    private FakeConnection admin;
    private FakeConnection other;
    private String binary;
    private int reqId;

    @BeforeEach
    void setUp() throws IOException {
        server = new Server(new Limits());
        lu = new LiveUpdate(server, List.of("-N", "--pid-file", "/run/x.pid"), task -> {
            ticking++;
            return () -> ticking--;
        }, () -> now);
        lu.setHandover(r -> {
            handedOver.add(r);
            return handoverAnswer;
        });
        server.setControl(new Control().register(new LiveUpdateCommand(lu)));
        server.setLiveUpdate(lu);
        admin = connect(0, true);
        other = connect(0, true);
        Path bin = dir.resolve("new-xenstored");
        Files.writeString(bin, "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        binary = bin.toString();
    }

    private FakeConnection connect(int domid, boolean privileged) {
        FakeConnection c = new FakeConnection(domid, privileged, server);
        server.connect(c);
        return c;
    }

    private XsMessage request(FakeConnection c, XsType type, int tx, byte[] payload) {
        int before = c.sent.size();
        XsMessage m = new XsMessage(type.code, ++reqId, tx, payload);
        server.handler().handle(c, m);
        return c.sent.size() > before ? c.sent.get(c.sent.size() - 1) : null;
    }

    /** The reply to {@code live-update <args>} on {@code c}: its text, "E<name>" for an error, null for none. */
    private String lu(FakeConnection c, String... args) {
        String[] words = new String[args.length + 1];
        words[0] = "live-update";
        System.arraycopy(args, 0, words, 1, args.length);
        return text(request(c, XsType.CONTROL, 0, Payload.nulTerminated(words)));
    }

    private static String text(XsMessage m) {
        if (m == null) {
            return null;
        }
        String s = new String(m.payload, StandardCharsets.US_ASCII);
        return s.endsWith("\0") ? s.substring(0, s.length() - 1) : s;
    }

    private int startTransaction(FakeConnection c) {
        return Integer.parseInt(text(request(c, XsType.TRANSACTION_START, 0, new byte[] {0})));
    }

    @Test
    void binaryMustExistAndBeExecutable() throws IOException {
        assertThat(lu(admin, "-f", dir.resolve("missing").toString())).isEqualTo("File not accessible.");
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(lu(admin, "-f", plain.toString())).isEqualTo("File not executable.");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r----x"));
        assertThat(lu(admin, "-f", plain.toString())).as("any execute bit will do").isEqualTo("OK");
        assertThat(lu.pending()).isTrue();
    }

    @Test
    void oneSessionBoundToItsConnection() {
        assertThat(lu(admin, "-f", binary)).isEqualTo("OK");
        assertThat(lu(other, "-f", binary)).isEqualTo("live-update session already active.");
        assertThat(lu(admin, "-f", binary)).as("C: also on the same connection")
                .isEqualTo("live-update session already active.");
        assertThat(lu(other, "-f", dir.resolve("missing").toString())).as("the file is checked first")
                .isEqualTo("File not accessible.");
        assertThat(lu(other, "-c", "-N")).isEqualTo("Not in live-update session.");
        assertThat(lu(other, "-s", "-t", "5")).isEqualTo("Not in live-update session.");
        assertThat(lu(admin, "-c", "-N -U")).isEqualTo("OK");
    }

    @Test
    void withoutSession() {
        assertThat(lu(admin, "-c", "x")).isEqualTo("Not in live-update session.");
        assertThat(lu(admin, "-s")).isEqualTo("Not in live-update session.");
        assertThat(lu(admin, "-a")).isEqualTo("No live-update session active.");
        assertThat(ticking).isZero();
    }

    @Test
    void badArgumentsAreEinval() {
        assertThat(lu(admin)).isEqualTo("EINVAL");
        assertThat(lu(admin, "-x")).isEqualTo("EINVAL");
        assertThat(lu(admin, "-f")).isEqualTo("EINVAL");
        assertThat(lu(admin, "-f", binary, "more")).isEqualTo("EINVAL");
        assertThat(lu(admin, "-a", "more")).isEqualTo("EINVAL");
        assertThat(lu(admin, "-c")).isEqualTo("EINVAL");
        assertThat(lu(admin, "-f", binary)).isEqualTo("OK");
        assertThat(lu(admin, "-s", "-x")).isEqualTo("EINVAL");
        assertThat(lu(admin, "-s", "-t")).as("-t without its value").isEqualTo("EINVAL");
        assertThat(lu(admin, "-s", "-v")).isEqualTo("EINVAL");
        assertThat(lu.pending()).isTrue();
    }

    @Test
    void onlyStreamVersionsOneAndTwo() {
        lu(admin, "-f", binary);
        assertThat(lu(admin, "-s", "-v", "0")).isEqualTo("Migration stream version not supported.");
        assertThat(lu(admin, "-s", "-v", "3")).isEqualTo("Migration stream version not supported.");
        assertThat(lu(admin, "-s", "-v", "-1")).isEqualTo("Migration stream version not supported.");
        assertThat(lu(admin, "-s", "-v", "2", "-t", "1")).isNull();
        lu.tick();
        assertThat(handedOver.get(0).version()).isEqualTo(2);
    }

    @Test
    void startIsAnsweredAfterTheHandoverWithTheRequestsHeader() {
        lu(admin, "-f", binary);
        assertThat(lu(admin, "-s", "-t", "10")).as("no reply yet").isNull();
        XsMessage start = new XsMessage(XsType.CONTROL.code, reqId, 0, new byte[0]);
        lu.tick();
        assertThat(handedOver).hasSize(1);
        HandoverRequest r = handedOver.get(0);
        assertThat(r.argv()).containsExactly(binary, "-N", "--pid-file", "/run/x.pid", "-U");
        assertThat(r.version()).as("jxenstored's default: 1, which every C reader takes").isEqualTo(1);
        assertThat(r.connection()).isSameAs(admin);
        assertThat(r.startRequest().reqId).isEqualTo(start.reqId);
        XsMessage reply = admin.sent.get(admin.sent.size() - 1);
        assertThat(reply.type).isEqualTo(XsType.CONTROL.code);
        assertThat(reply.reqId).isEqualTo(start.reqId);
        assertThat(text(reply)).isEqualTo("OK");
        assertThat(lu.pending()).isFalse();
        assertThat(ticking).isZero();
    }

    @Test
    void aFailedHandoverIsAnsweredWithItsTextAndEndsTheSession() {
        handoverAnswer = Handover.EXEC_FAILED;
        lu(admin, "-f", binary);
        lu(admin, "-s", "-t", "10");
        lu.tick();
        assertThat(text(admin.sent.get(admin.sent.size() - 1))).isEqualTo("Error activating new binary.");
        assertThat(lu.pending()).isFalse();
        assertThat(lu(other, "-f", binary)).as("a new session may begin").isEqualTo("OK");
    }

    @Test
    void cmdlineReplacesTheArgumentsSplitOnBlanks() {
        lu(admin, "-f", binary);
        lu(admin, "-c", " --no-fork\t -T  /tmp/trace ");
        lu(admin, "-s");
        lu.tick();
        assertThat(handedOver.get(0).argv()).containsExactly(binary, "--no-fork", "-T", "/tmp/trace", "-U");
    }

    @Test
    void noSecondMinusU() {
        assertThat(SuccessorArgv.of("/b", "-N -U", List.of())).containsExactly("/b", "-N", "-U");
        assertThat(SuccessorArgv.of("/b", null, List.of("-U", "-N"))).containsExactly("/b", "-U", "-N");
        assertThat(SuccessorArgv.of("/b", "", List.of("-N"))).containsExactly("/b", "-U");
    }

    @Test
    void abortCancelsAWaitingStartFromAnyConnection() {
        FakeConnection ta = connect(3, false);
        startTransaction(ta);
        lu(admin, "-f", binary);
        lu(admin, "-s", "-t", "10");
        lu.tick();
        assertThat(handedOver).isEmpty();
        int startReq = reqId;
        assertThat(lu(other, "-a")).isEqualTo("OK");
        XsMessage cancelled = admin.sent.get(admin.sent.size() - 1);
        assertThat(cancelled.reqId).isEqualTo(startReq);
        assertThat(text(cancelled)).isEqualTo("Cancellation was requested");
        assertThat(lu.pending()).isFalse();
        assertThat(ticking).isZero();
    }

    @Test
    void waitsForTransactionsThenNamesTheLongRunningOnes() {
        FakeConnection guest = connect(7, false);
        startTransaction(guest);
        now = 1 * SECOND;
        guest.now = now;
        lu(admin, "-f", binary);
        lu(admin, "-s", "-t", "2");
        int replies = admin.sent.size();
        now = 2 * SECOND;
        guest.now = now;
        lu.tick();
        assertThat(handedOver).isEmpty();
        assertThat(admin.sent).hasSize(replies);
        now = 3 * SECOND;
        guest.now = now;
        lu.tick();
        assertThat(handedOver).isEmpty();
        assertThat(text(admin.sent.get(replies))).isEqualTo("Domains with long running transactions:\nDomain 7: 3 s");
        assertThat(lu.pending()).isFalse();
    }

    @Test
    void goesAheadAsSoonAsTheTransactionsEnd() {
        FakeConnection guest = connect(7, false);
        int tx = startTransaction(guest);
        lu(admin, "-f", binary);
        lu(admin, "-s", "-t", "60");
        lu.tick();
        assertThat(handedOver).isEmpty();
        request(guest, XsType.TRANSACTION_END, tx, Payload.nulTerminated("F"));
        lu.tick();
        assertThat(handedOver).hasSize(1);
    }

    @Test
    void forceGoesAheadOnceEveryTransactionIsOld() {
        FakeConnection guest = connect(7, false);
        startTransaction(guest);
        lu(admin, "-f", binary);
        lu(admin, "-s", "-F", "-t", "2");
        now = SECOND;
        guest.now = now;
        lu.tick();
        assertThat(handedOver).as("forced, but the transaction is younger than the timeout").isEmpty();
        now = 2 * SECOND;
        guest.now = now;
        lu.tick();
        assertThat(handedOver).hasSize(1);
    }

    @Test
    void overlappingTransactionsWhenNoneIsOlderThanTheTimeout() {
        FakeConnection guest = connect(7, false);
        startTransaction(guest);
        guest.now = SECOND;
        assertThat(TransactionsOpen.of(server.connections(), 2).rejectReason()).isEqualTo("Overlapping transactions");
        assertThat(TransactionsOpen.of(server.connections(), 1).rejectReason())
                .isEqualTo("Domains with long running transactions:\nDomain 7: 1 s");
    }

    @Test
    void transactionStartsAreHeldWhileASessionIsOpen() {
        FakeConnection busy = connect(5, false);
        startTransaction(busy);
        FakeConnection idle = connect(6, false);
        lu(admin, "-f", binary);
        assertThat(request(idle, XsType.TRANSACTION_START, 0, new byte[] {0})).as("held").isNull();
        assertThat(request(idle, XsType.READ, 0, Payload.nulTerminated("/"))).as("others are served").isNotNull();
        assertThat(text(request(busy, XsType.TRANSACTION_START, 0, new byte[] {0})))
                .as("a connection with transactions may open more").isEqualTo("2");
        assertThat(server.heldRequests(idle)).hasSize(1);
        assertThat(lu(admin, "-a")).isEqualTo("OK");
        XsMessage served = idle.sent.get(idle.sent.size() - 1);
        assertThat(served.type).isEqualTo(XsType.TRANSACTION_START.code);
        assertThat(text(served)).isEqualTo("1");
    }

    @Test
    void anUnprivilegedConnectionMayHaveOnlyAFewHeld() {
        FakeConnection guest = connect(6, false);
        lu(admin, "-f", binary);
        for (int i = 0; i < 4; i++) {
            assertThat(request(guest, XsType.TRANSACTION_START, 0, new byte[] {0})).isNull();
        }
        assertThat(text(request(guest, XsType.TRANSACTION_START, 0, new byte[] {0}))).isEqualTo("EAGAIN");
    }

    @Test
    void theSessionEndsWithItsConnection() {
        FakeConnection idle = connect(6, false);
        lu(admin, "-f", binary);
        lu(admin, "-s", "-t", "10");
        request(idle, XsType.TRANSACTION_START, 0, new byte[] {0});
        admin.close();
        lu.tick();
        assertThat(handedOver).isEmpty();
        assertThat(lu.pending()).isFalse();
        assertThat(text(idle.sent.get(idle.sent.size() - 1))).as("the held request is served").isEqualTo("1");
        assertThat(lu(other, "-f", binary)).isEqualTo("OK");
    }

    @Test
    void argumentsBeyondCsLimitAreIgnored() {
        lu(admin, "-f", binary);
        assertThat(lu(admin, "-s", "-t", "1", "-F", "-v", "1", "ignored")).isNull();
    }
}
