package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.RingLayout;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;

/** Guests that break the ring protocol: the daemon shuts their connection, keeps the domain, serves everyone else. */
class HostileGuestTest extends GuestTestSupport {
    @Test
    void corruptedRequestIndexesSetRingIdxAndTheDomainStays() throws Exception {
        SimGuest bad = bootGuest(5);
        SimGuest good = bootGuest(6);
        assertThat(write(bad, "w", "1")).isEqualTo("OK");
        assertThat(ask(bad, XsType.WATCH, "w", "tok")).isEqualTo("OK");
        bad.page().setReqProd(bad.page().reqCons() + 5000);
        bad.notifyDaemon();
        awaitError(bad, RingLayout.ERROR_RINGIDX);
        assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("5")).text())
                .as("XSA-325: the domain stays until Xen says it is gone").isEqualTo("T\0");
        assertThat(write(good, "still", "served")).isEqualTo("OK");
        assertThat(host.onStore(() -> host.server().watchIndex().size())).as("its watches are gone").isZero();
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");
    }

    @Test
    void corruptedResponseIndexesSetRingIdx() throws Exception {
        SimGuest bad = bootGuest(5);
        bad.page().setRspCons(bad.page().rspProd() - 3000);
        bad.send(new XsMessage(XsType.READ.code, 1, 0, "/tool\0".getBytes()));
        awaitError(bad, RingLayout.ERROR_RINGIDX);
    }

    @Test
    void anOversizedHeaderSetsProto() throws Exception {
        SimGuest bad = bootGuest(5);
        ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(XsType.WRITE.code).putInt(1).putInt(0).putInt(4097);
        bad.sendBytes(header.array(), 1000);
        awaitError(bad, RingLayout.ERROR_PROTO);
        assertThat(dom0.read("/tool").isError()).isFalse();
    }

    @Test
    void aGuestThatNeverReadsCannotMakeTheDaemonBufferWithoutBound() throws Exception {
        SimGuest flooder = bootGuest(5);
        SimGuest other = bootGuest(6);
        byte[] read = frame(XsType.READ, "/local/domain/5\0");
        // Fill the request ring again and again without ever consuming a reply.
        int sent = 0;
        for (int i = 0; i < 2000; i++) {
            int prod = flooder.page().reqProd();
            int cons = flooder.page().reqCons();
            if (RingLayout.XENSTORE_RING_SIZE - (prod - cons) < read.length) {
                break;
            }
            flooder.page().writeRequest(prod, read, 0, read.length);
            flooder.page().setReqProd(prod + read.length);
            flooder.notifyDaemon();
            sent++;
            Thread.sleep(1);
        }
        assertThat(sent).as("the daemon stopped taking requests once its replies could not be delivered")
                .isLessThan(2000);
        int waiting = host.onStore(() -> host.server().connections().stream()
                .filter(c -> c.domid() == 5).mapToInt(c -> c.waitingCount()).sum());
        assertThat(waiting).isLessThanOrEqualTo(64);
        assertThat(write(other, "x", "y")).isEqualTo("OK");
        assertThat(dom0.read("/local/domain/6/x").text()).isEqualTo("y");
    }

    @Test
    void ringReconnectionDropsWatchesTransactionsAndQueuedData() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(ask(g, XsType.WATCH, "w", "tok")).isEqualTo("OK");
        String tx = ask(g, XsType.TRANSACTION_START, "");
        assertThat(tx).isEqualTo("1");
        assertThat(g.reconnect(2000)).isTrue();
        assertThat(g.page().reqProd()).isZero();
        assertThat(g.page().rspProd()).isZero();
        assertThat(host.onStore(() -> host.server().watchIndex().size())).isZero();
        ok(dom0.write("/local/domain/5/w", "changed"));
        assertThat(write(g, "after", "reconnect")).isEqualTo("OK");
        assertThat(takeEvents(g)).as("no event from the dropped watch").isEmpty();
        assertThat(ask(g, XsType.READ, 1, "after\0".getBytes())).isEqualTo("ERROR ENOENT");
    }

    @Test
    void aDom0lessGuestFoundInReconnectAtIntroduceIsReset() throws Exception {
        SimGuest g = host.createGuest(7);
        g.page().setConnection(RingLayout.RECONNECT);
        g.page().setReqProd(123);
        ok(dom0.request(XsTestClient.INTRODUCE, XsTestClient.nul("7", "0", Integer.toString(g.port()))));
        assertThat(g.page().connection()).isEqualTo(RingLayout.CONNECTED);
        assertThat(g.page().reqProd()).isZero();
        assertThat(ask(g, XsType.GET_DOMAIN_PATH, "7")).isEqualTo("/local/domain/7");
    }

    private static byte[] frame(XsType type, String payload) {
        return XsTestClient.frame(type.code, 1, 0, payload.getBytes());
    }

    private static void awaitError(SimGuest g, int expected) throws InterruptedException {
        for (int i = 0; i < 200 && g.page().error() == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(g.page().error()).isEqualTo(expected);
    }
}
