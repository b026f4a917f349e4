package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.DIRECTORY;
import static org.jxenstored.wire.XsTestClient.ERROR;
import static org.jxenstored.wire.XsTestClient.PAYLOAD_MAX;
import static org.jxenstored.wire.XsTestClient.QUIET;
import static org.jxenstored.wire.XsTestClient.READ;
import static org.jxenstored.wire.XsTestClient.WRITE;
import static org.jxenstored.wire.XsTestClient.cat;
import static org.jxenstored.wire.XsTestClient.expectError;
import static org.jxenstored.wire.XsTestClient.expectOk;
import static org.jxenstored.wire.XsTestClient.expectReply;
import static org.jxenstored.wire.XsTestClient.frame;
import static org.jxenstored.wire.XsTestClient.header;
import static org.jxenstored.wire.XsTestClient.latin1;
import static org.jxenstored.wire.XsTestClient.nul;
import static org.jxenstored.wire.XsTestClient.repeat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import org.jxenstored.wire.XsTestClient.Msg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The framing of the socket protocol: headers, lengths, pipelining and what happens to malformed streams. */
class FramingTest extends WireTestBase {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void repliesEchoReqIdAndTxId() {
        c.send(READ, 0xdeadbeef, 0, nul("/tool"));
        Msg r = c.receive();
        assertThat(r.type()).isEqualTo(READ);
        assertThat(r.reqId()).isEqualTo(0xdeadbeef);
        assertThat(r.txId()).isZero();
        // errors too, with the (unknown) tx id of the request
        c.send(READ, 0xffffffff, 0x7654321, nul("/tool"));
        Msg e = c.receive();
        expectError(e, "ENOENT");
        assertThat(e.reqId()).isEqualTo(0xffffffff);
        assertThat(e.txId()).isEqualTo(0x7654321);
        // req_id 0 is fine as well
        c.send(READ, 0, 0, nul(base));
        Msg z = c.receive();
        expectError(z, "ENOENT");
        assertThat(z.reqId()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 27, 100, 65535, 0xFFFFFFFF, 15, 16}) // 15, 16: WATCH_EVENT and ERROR flow from the daemon only
    void unknownTypesAreEnosys(int type) {
        c.send(type, 4242, 0, new byte[0]);
        Msg r = c.receive();
        expectError(r, "ENOSYS");
        assertThat(r.reqId()).isEqualTo(4242);
        c.send(type, 4243, 0, nul("x"));
        expectError(c.receive(), "ENOSYS");
        // the connection is still fine
        expectReply(c.read("/tool"), READ, new byte[0]);
    }

    @Test
    void unknownTypeEchoesTxId() {
        c.send(27, 7, 5, nul("x"));
        Msg r = c.receive();
        expectError(r, "ENOSYS");
        assertThat(r.reqId()).isEqualTo(7);
        assertThat(r.txId()).isEqualTo(5);
    }

    @Test
    void hundredPipelinedRequestsInOneWriteAreAnsweredInOrder() {
        expectOk(c.write(base, "val"), WRITE);
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            int reqId = 1000 + i;
            byte[] f;
            switch (i % 4) {
                case 0:
                    f = frame(READ, reqId, 0, nul(base));
                    break;
                case 1:
                    f = frame(WRITE, reqId, 0, cat(nul(base + "/n" + i), latin1("v" + i)));
                    break;
                case 2:
                    f = frame(READ, reqId, 0, nul(base + "/missing"));
                    break;
                default:
                    f = frame(DIRECTORY, reqId, 0, nul("/tool"));
                    break;
            }
            batch.writeBytes(f);
        }
        c.writeRaw(batch.toByteArray());
        for (int i = 0; i < 100; i++) {
            Msg r = c.receive();
            assertThat(r.reqId()).as("reply %d", i).isEqualTo(1000 + i);
            switch (i % 4) {
                case 0:
                    expectReply(r, READ, latin1("val"));
                    break;
                case 1:
                    expectOk(r, WRITE);
                    break;
                case 2:
                    expectError(r, "ENOENT");
                    break;
                default:
                    expectReply(r, DIRECTORY, nul("xenstored"));
                    break;
            }
        }
        expectReply(c.read(base + "/n97"), READ, latin1("v97"));
    }

    @Test
    void frameSplitAcrossWritesIsAssembled() throws InterruptedException {
        byte[] f = frame(READ, 77, 0, nul("/tool/xenstored"));
        // header in pieces, then the body byte by byte
        c.writeRaw(Arrays.copyOfRange(f, 0, 3));
        Thread.sleep(50);
        c.writeRaw(Arrays.copyOfRange(f, 3, 16));
        c.expectSilence(Duration.ofMillis(100));
        for (int i = 16; i < f.length; i++) {
            c.writeRaw(new byte[] {f[i]});
        }
        Msg r = c.receive();
        assertThat(r.reqId()).isEqualTo(77);
        expectReply(r, READ, new byte[0]);
    }

    @Test
    void incompleteFrameGetsNoReplyUntilCompleted() {
        byte[] f = frame(READ, 5, 0, nul("/tool"));
        c.writeRaw(Arrays.copyOfRange(f, 0, 21));
        c.expectSilence(QUIET);
        c.writeRaw(Arrays.copyOfRange(f, 21, f.length));
        expectReply(c.receive(), READ, new byte[0]);
    }

    @Test
    void payloadOfExactly4096BytesIsAccepted() {
        byte[] p = cat(nul(base), latin1(repeat('v', PAYLOAD_MAX - base.length() - 1)));
        assertThat(p).hasSize(PAYLOAD_MAX);
        expectOk(c.request(WRITE, p), WRITE);
    }

    /** The other connection must be unaffected when one is killed for a protocol violation. */
    private void assertConnectionClosedAndOthersFine(XsTestClient victim, XsTestClient bystander) {
        assertThat(victim.awaitClosed(CLOSE_TIMEOUT)).as("connection closed by the daemon").isTrue();
        assertThat(victim.isClosedByServer()).isTrue();
        expectReply(bystander.read("/tool/xenstored"), READ, new byte[0]);
        try (XsTestClient fresh = XsTestClient.connect(socket)) {
            expectReply(fresh.read("/tool/xenstored"), READ, new byte[0]);
        }
    }

    @Test
    void headerAnnouncing4097BytesClosesThatConnectionOnly() {
        XsTestClient bystander = client();
        int tx = bystander.startTransaction();
        expectOk(bystander.write(tx, base + "/bystander", "b"), WRITE);
        expectOk(bystander.watch(base, "w"), XsTestClient.WATCH);
        byte[] payload = cat(nul(base + "/big"), latin1(repeat('v', 4097 - base.length() - 5)));
        assertThat(payload).hasSize(4097);
        c.tryWriteRaw(frame(WRITE, 1, 0, payload));
        assertConnectionClosedAndOthersFine(c, bystander);
        // nothing was written by the oversized frame, and the bystander's transaction and watch live on
        expectError(bystander.read(base + "/big"), "ENOENT");
        expectOk(bystander.endTransaction(tx, true), XsTestClient.TRANSACTION_END);
        expectReply(bystander.read(base + "/bystander"), READ, latin1("b"));
        bystander.sync();
        assertThat(bystander.takeEvents()).containsExactly(base + "|w", base + "/bystander|w");
    }

    @Test
    void headerAnnouncing4097BytesWithoutBodyClosesTheConnection() {
        XsTestClient bystander = client();
        c.tryWriteRaw(header(READ, 1, 0, 4097, new byte[0]));
        assertConnectionClosedAndOthersFine(c, bystander);
    }

    @Test
    void headerAnnouncing0xFFFFFFFFBytesClosesTheConnection() {
        XsTestClient bystander = client();
        c.tryWriteRaw(header(WRITE, 1, 0, 0xFFFFFFFFL, nul("/x")));
        assertConnectionClosedAndOthersFine(c, bystander);
    }

    @Test
    void oversizedUnknownTypeClosesTheConnection() {
        XsTestClient bystander = client();
        c.tryWriteRaw(header(100, 1, 0, 4097, new byte[0]));
        assertConnectionClosedAndOthersFine(c, bystander);
    }

    @Test
    void garbageBytesCloseTheConnection() {
        XsTestClient bystander = client();
        byte[] junk = new byte[64];
        Arrays.fill(junk, (byte) 0xff);
        c.tryWriteRaw(junk);
        assertConnectionClosedAndOthersFine(c, bystander);
    }

    @Test
    void textGarbageClosesTheConnection() {
        XsTestClient bystander = client();
        // bytes 12..15 ("ore,") read as a length of 0x2c65726f
        c.tryWriteRaw(latin1("hello xenstore, this is not a frame\n"));
        assertConnectionClosedAndOthersFine(c, bystander);
    }

    @Test
    void oversizedFrameAfterValidRequestsEndsTheConnectionAfterServingThem() {
        XsTestClient bystander = client();
        byte[] batch = cat(frame(WRITE, 1, 0, cat(nul(base + "/first"), latin1("1"))),
                frame(WRITE, 2, 0, cat(nul(base + "/second"), latin1("2"))), header(WRITE, 3, 0, 5000, new byte[0]));
        c.tryWriteRaw(batch);
        // C 4.17 serves the requests before the bad header but drops their replies with the connection
        assertConnectionClosedAndOthersFine(c, bystander);
        expectReply(bystander.read(base + "/first"), READ, latin1("1"));
        expectReply(bystander.read(base + "/second"), READ, latin1("2"));
    }

    @Test
    void truncatedFrameFollowedByCloseLeavesTheDaemonFine() {
        XsTestClient bystander = client();
        // a truncated header
        XsTestClient a = client();
        a.writeRaw(new byte[] {2, 0, 0, 0, 1, 0});
        a.close();
        // a header announcing 20 bytes, only 5 sent
        XsTestClient b = client();
        b.writeRaw(cat(header(WRITE, 1, 0, 20, new byte[0]), latin1(base.substring(0, 5))));
        b.close();
        // a complete WRITE followed by a truncated one: the first is done, the second never
        XsTestClient d = client();
        d.writeRaw(cat(frame(WRITE, 1, 0, cat(nul(base + "/done"), latin1("v"))),
                header(WRITE, 2, 0, 200, cat(nul(base + "/never"), latin1("v")))));
        d.receive();
        d.close();
        expectReply(bystander.read("/tool/xenstored"), READ, new byte[0]);
        expectReply(bystander.read(base + "/done"), READ, latin1("v"));
        expectError(bystander.read(base + "/never"), "ENOENT");
        try (XsTestClient fresh = XsTestClient.connect(socket)) {
            expectReply(fresh.control("check"), XsTestClient.CONTROL, nul("OK"));
        }
    }

    @Test
    void emptyPayloadsOfTransactionStartAndResetWatchesAreValid() {
        Msg r = c.request(XsTestClient.TRANSACTION_START, new byte[0]);
        assertThat(r.type()).isEqualTo(XsTestClient.TRANSACTION_START);
        expectOk(c.request(XsTestClient.RESET_WATCHES, new byte[0]), XsTestClient.RESET_WATCHES);
    }
}
