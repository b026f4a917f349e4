package org.jxenstored.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.jxenstored.transport.FrameParser;
import org.jxenstored.protocol.XsMessage;

/** Any bytes, cut anywhere: the frame parser yields whole messages or a violation, never anything else. */
class FrameParserFuzzTest {
    @Property(tries = 500)
    void arbitraryBytesInArbitraryChunks(@ForAll("streams") List<byte[]> chunks) {
        ByteBuf in = Unpooled.buffer();
        try {
            for (byte[] chunk : chunks) {
                in.writeBytes(chunk);
                XsMessage m;
                while ((m = FrameParser.next(in)) != null) {
                    assertThat(m.payload.length).isLessThanOrEqualTo(XsMessage.PAYLOAD_MAX);
                }
                assertThat(in.readableBytes()).isLessThanOrEqualTo(XsMessage.HEADER_SIZE + XsMessage.PAYLOAD_MAX
                        + chunk.length);
            }
        } catch (FrameParser.ProtocolViolation e) {
            // the connection would be closed: fine
        }
    }

    @Property(tries = 300)
    void wellFormedFramesRoundTrip(@ForAll("messages") List<XsMessage> messages, @ForAll("cuts") int cut) {
        ByteBuf wire = Unpooled.buffer();
        for (XsMessage m : messages) {
            FrameParser.write(m, wire);
        }
        byte[] bytes = new byte[wire.readableBytes()];
        wire.readBytes(bytes);
        ByteBuf in = Unpooled.buffer();
        int parsed = 0;
        try {
            for (int off = 0; off < bytes.length; off += cut) {
                in.writeBytes(bytes, off, Math.min(cut, bytes.length - off));
                XsMessage m;
                while ((m = FrameParser.next(in)) != null) {
                    XsMessage expected = messages.get(parsed++);
                    assertThat(m.type).isEqualTo(expected.type);
                    assertThat(m.reqId).isEqualTo(expected.reqId);
                    assertThat(m.txId).isEqualTo(expected.txId);
                    assertThat(m.payload).isEqualTo(expected.payload);
                }
            }
        } catch (FrameParser.ProtocolViolation e) {
            throw new AssertionError(e);
        }
        assertThat(parsed).isEqualTo(messages.size());
    }

    @Provide
    Arbitrary<List<byte[]>> streams() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(1, 5000);
    }

    @Provide
    Arbitrary<List<XsMessage>> messages() {
        Arbitrary<XsMessage> one = Combinators.combine(Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.integers(), Arbitraries.bytes().array(byte[].class).ofMaxSize(XsMessage.PAYLOAD_MAX))
                .as(XsMessage::new);
        return one.list().ofMaxSize(8);
    }
}
