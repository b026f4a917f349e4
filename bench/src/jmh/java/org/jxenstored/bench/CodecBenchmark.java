package org.jxenstored.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jxenstored.transport.FrameParser;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Framing a typical request out of a buffer, and writing a typical reply into one. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    private ByteBuf in;
    private ByteBuf out;
    private XsMessage reply;

    @Setup
    public void setUp() {
        XsMessage request = new XsMessage(XsType.READ.code, 7, 0,
                "/local/domain/12/device/vbd/51712/state\0".getBytes(StandardCharsets.ISO_8859_1));
        in = Unpooled.directBuffer(256);
        FrameParser.write(request, in);
        out = Unpooled.directBuffer(256);
        reply = new XsMessage(XsType.READ.code, 7, 0, "4".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Benchmark
    public XsMessage decode() throws FrameParser.ProtocolViolation {
        in.readerIndex(0);
        return FrameParser.next(in);
    }

    @Benchmark
    public int encode() {
        out.clear();
        FrameParser.write(reply, out);
        return out.writerIndex();
    }
}
