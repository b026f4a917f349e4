package org.jxenstored.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutputQueueTest {
    private final Limits limits = new Limits();
    private FakeConnection conn;

    @BeforeEach
    void setUp() {
        limits.watchEventTimeoutMillis = 1000;
        limits.pendingEventsPerConnection = 3;
        conn = new FakeConnection(0, true, new Server(limits));
    }

    private static XsMessage reply(int reqId) {
        return new XsMessage(XsType.READ.code, reqId, 0, new byte[0]);
    }

    private static String text(XsMessage m) {
        return m.type == XsType.WATCH_EVENT.code
                ? new String(m.payload, StandardCharsets.ISO_8859_1).replace('\0', '|')
                : "reply" + m.reqId;
    }

    @Test
    void writableTransportGetsEverythingAtOnce() {
        conn.sendEvent(Payload.nulTerminated("/a", "t"));
        conn.send(reply(1));
        assertThat(conn.sent).extracting(OutputQueueTest::text).containsExactly("/a|t|", "reply1");
        assertThat(conn.waitingCount()).isZero();
    }

    @Test
    void aSlowReaderKeepsOrderMergesIdenticalEventsAndIsBounded() {
        conn.writable = false;
        conn.sendEvent(Payload.nulTerminated("/a", "t"));
        conn.send(reply(1));
        conn.sendEvent(Payload.nulTerminated("/a", "t")); // identical to a waiting one: merged
        conn.sendEvent(Payload.nulTerminated("/b", "t"));
        conn.sendEvent(Payload.nulTerminated("/c", "t"));
        conn.sendEvent(Payload.nulTerminated("/d", "t")); // over the limit of 3 waiting events: dropped
        conn.send(reply(2)); // replies are never dropped
        assertThat(conn.sent).isEmpty();
        conn.writable = true;
        conn.drain();
        assertThat(conn.sent).extracting(OutputQueueTest::text)
                .containsExactly("/a|t|", "reply1", "/b|t|", "/c|t|", "reply2");
        assertThat(conn.eventLossCounters()).containsExactly(1, 1, 0, 0);
    }

    @Test
    void eventsThatWaitedTooLongExpireButRepliesDoNot() {
        conn.writable = false;
        conn.sendEvent(Payload.nulTerminated("/old", "t"));
        conn.send(reply(1));
        conn.now += 2_000_000_000L; // 2 s later: past the 1 s timeout
        conn.sendEvent(Payload.nulTerminated("/new", "t"));
        conn.writable = true;
        conn.drain();
        assertThat(conn.sent).extracting(OutputQueueTest::text).containsExactly("reply1", "/new|t|");
        assertThat(conn.eventLossCounters()[2]).isEqualTo(1);
    }

    @Test
    void aMergedEventCanBeQueuedAgainOnceSent() {
        conn.writable = false;
        conn.sendEvent(Payload.nulTerminated("/a", "t"));
        conn.writable = true;
        conn.drain();
        conn.writable = false;
        conn.sendEvent(Payload.nulTerminated("/a", "t"));
        conn.writable = true;
        conn.drain();
        assertThat(conn.sent).hasSize(2);
    }
}
