package org.jxenstored.transport.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * How far into its head message a ring's output stands, which a live update to C xenstored hands over
 * (out-resp-len): messages are a 16-byte header plus the payload length the header gives.
 */
class OutputFramingTest {
    /** The 10-byte rest of a message, then a message with a 4-byte payload (20 bytes), then one with 0 (16). */
    private static byte[] output() {
        ByteBuffer b = ByteBuffer.allocate(10 + 20 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[10]);
        b.putInt(2).putInt(1).putInt(0).putInt(4).put(new byte[4]);
        b.putInt(2).putInt(2).putInt(0).putInt(0);
        return b.array();
    }

    @Test
    void theHeadsRestIsCountedThenEachMessageByItsHeader() {
        byte[] out = output();
        assertThat(RingConnection.framingAfter(out, 10, 0)).isEqualTo(10);
        assertThat(RingConnection.framingAfter(out, 10, 4)).isEqualTo(6);
        assertThat(RingConnection.framingAfter(out, 10, 10)).as("at a boundary").isZero();
        assertThat(RingConnection.framingAfter(out, 10, 13)).as("3 bytes into the 20-byte message").isEqualTo(17);
        assertThat(RingConnection.framingAfter(out, 10, 30)).isZero();
        assertThat(RingConnection.framingAfter(out, 10, 31)).isEqualTo(15);
    }

    @Test
    void whatDoesNotParseIsUnknown() {
        assertThat(RingConnection.framingAfter(output(), -1, 5)).isEqualTo(-1);
        byte[] garbage = new byte[20];
        ByteBuffer.wrap(garbage).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 1 << 30);
        assertThat(RingConnection.framingAfter(garbage, 0, 1)).as("a length no message of ours has").isEqualTo(-1);
        assertThat(RingConnection.framingAfter(new byte[8], 0, 4)).as("no whole header").isEqualTo(-1);
    }
}
