package org.jxenstored.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Limits;
import org.jxenstored.server.RequestStats;
import org.jxenstored.server.Server;
import org.jxenstored.stats.DaemonStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the request statistics (issue 16.4) add to a WRITE and a READ through the request handler, in process (no
 * I/O): {@code none} installs no recorder ({@link RequestStats#NONE}; the handler still reads the clock twice),
 * {@code hdr} the daemon's (counters and an HdrHistogram per type); {@link #clock} is the two clock reads alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m", "-XX:+UseSerialGC"})
public class RequestStatsBenchmark {
    @Param({"none", "hdr"})
    String recorder;

    private Server server;
    private BenchConnection conn;
    private XsMessage[] writes;
    private XsMessage[] reads;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        server = new Server(new Limits());
        Executor direct = Runnable::run;
        if ("hdr".equals(recorder)) {
            server.setRequestStats(new DaemonStats(server, "bench", direct).recorder());
        }
        conn = new BenchConnection(server);
        server.connect(conn);
        writes = new XsMessage[64];
        reads = new XsMessage[64];
        for (int i = 0; i < writes.length; i++) {
            writes[i] = message(XsType.WRITE, "/bench/key" + i + "\0value");
            reads[i] = message(XsType.READ, "/bench/key" + i + "\0");
            server.handler().handle(conn, writes[i]);
        }
    }

    private static XsMessage message(XsType type, String payload) {
        return new XsMessage(type.code, 0, 0, payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Benchmark
    public long write() {
        server.handler().handle(conn, writes[next++ & 63]);
        return conn.messages;
    }

    @Benchmark
    public long read() {
        server.handler().handle(conn, reads[next++ & 63]);
        return conn.messages;
    }

    @Benchmark
    public long clock() {
        long start = System.nanoTime();
        return System.nanoTime() - start;
    }
}
