package org.jxenstored.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Connection;
import org.jxenstored.testing.SimHost;
import org.jxenstored.testing.SimToolstack;
import org.jxenstored.transport.ring.RingConnection;
import org.jxenstored.transport.ring.RingState;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;

/**
 * A ring request that kills the daemon is refused after it did so twice in a row, not served in a crash loop: the
 * journal's records decide which request that is, and the ring connection refuses it with EIO and serves the next.
 */
class QuarantineTest {
    private static StateModel replay(RecordBuffer b) {
        StateModel m = new StateModel();
        Records.replay(b.contents(), m);
        return m;
    }

    private static void ring(RecordBuffer b, int reqCons, int unserved) {
        Records.ring(b, 1, new RingState(reqCons, new byte[unserved], 0, new byte[0]));
    }

    @Test
    void aRequestFoundBeingServedAtTwoCrashesInARowIsQuarantined() {
        RecordBuffer b = new RecordBuffer(256);
        ring(b, 100, 20); // served up to 80
        Records.serving(b, 1, 80);
        assertThat(replay(b).conn(1).quarantine()).as("one crash: a suspect only").isFalse();
        assertThat(replay(b).conn(1).serving).isEqualTo(80);

        Records.suspect(b, 1, 80); // what the restart after that crash notes
        Records.serving(b, 1, 80); // served again after it, and the daemon died again
        assertThat(replay(b).conn(1).quarantine()).isTrue();

        ring(b, 100, 0); // ... unless it was served in between: then neither
        StateModel served = replay(b);
        assertThat(served.conn(1).quarantine()).isFalse();
        assertThat(served.conn(1).serving).isNull();
        assertThat(served.conn(1).suspect).isNull();
    }

    @Test
    void anotherRequestAtTheSecondCrashIsOnlyASuspect() {
        RecordBuffer b = new RecordBuffer(256);
        ring(b, 100, 20);
        Records.suspect(b, 1, 80);
        ring(b, 140, 20); // 80 was served: served up to 120
        Records.serving(b, 1, 120);
        StateModel m = replay(b);
        assertThat(m.conn(1).quarantine()).isFalse();
        assertThat(m.conn(1).serving).isEqualTo(120);
    }

    @Test
    void theRingConnectionRefusesTheQuarantinedRequestAndServesTheNext() throws Exception {
        try (SimHost host = SimHost.start(); XsTestClient dom0 = XsTestClient.connect(host.socketPath())) {
            SimGuest guest = host.createGuest(3);
            SimToolstack.boot(dom0, guest);
            int next = guest.page().reqProd(); // everything before is served: the next request starts here
            host.onStore(() -> {
                for (Connection c : host.server().connections()) {
                    if (c instanceof RingConnection && c.domid() == 3) {
                        ((RingConnection) c).quarantine(next);
                    }
                }
                return null;
            });
            XsMessage refused = guest.request(XsType.WRITE, 0, Payload.nulTerminated("data/poison", "x"));
            assertThat(refused.type).isEqualTo(XsType.ERROR.code);
            assertThat(new String(refused.payload, StandardCharsets.US_ASCII)).isEqualTo("EIO\0");
            XsMessage after = guest.request(XsType.WRITE, 0, Payload.nulTerminated("data/fine", "y"));
            assertThat(after.type).isEqualTo(XsType.WRITE.code);
            assertThat(dom0.read("/local/domain/3/data/poison").type()).as("never applied")
                    .isEqualTo(XsTestClient.ERROR);
        }
    }
}
