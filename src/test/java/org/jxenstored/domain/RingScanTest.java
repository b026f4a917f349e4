package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jxenstored.transport.FrameParser;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.testing.SimHost;
import org.jxenstored.transport.ring.RingPage;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;

/**
 * oxenstored's {@code ring-scan-interval}: every so often each ring is served as if its event channel had fired, so
 * a lost notification costs the guest a delay, not a hang.
 */
class RingScanTest extends GuestTestSupport {
    @Override
    SimHost startSimHost() {
        DomainOptions options = new DomainOptions();
        options.ringScanIntervalSeconds = 1;
        return SimHost.start(l -> { }, options);
    }

    /** Puts a request in the ring without signalling the daemon: the notification is lost. */
    private static void sendWithoutNotifying(SimGuest g, XsMessage m) {
        ByteBuf b = Unpooled.buffer();
        FrameParser.write(m, b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        RingPage page = g.page();
        int prod = page.reqProd();
        page.writeRequest(prod, bytes, 0, bytes.length);
        page.setReqProd(prod + bytes.length);
    }

    @Test
    void aRequestWhoseNotificationWasLostIsServedAtTheNextScan() throws Exception {
        SimGuest g = bootGuest(5);
        sendWithoutNotifying(g, new XsMessage(XsType.WRITE.code, 7, 0, "lost\0found".getBytes()));
        XsMessage reply = g.receive(5000);
        assertThat(reply).as("served by the scan, though no event came").isNotNull();
        assertThat(reply.reqId).isEqualTo(7);
        assertThat(reply.payload).isEqualTo(Payload.nulTerminated("OK"));
        assertThat(dom0.read("/local/domain/5/lost").text()).isEqualTo("found");
    }
}
