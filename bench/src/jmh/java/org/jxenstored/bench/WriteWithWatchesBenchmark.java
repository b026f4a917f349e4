package org.jxenstored.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;
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
 * The cost of one WRITE through the request handler with N unrelated watches registered: the watch index must
 * make it independent of N (issue: at most 1.1x the cost with none at N = 100 000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class WriteWithWatchesBenchmark {
    @Param({"0", "100000"})
    int watches;

    private Server server;
    private BenchConnection writer;
    private XsMessage[] writes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Limits limits = new Limits();
        server = new Server(limits);
        writer = new BenchConnection(server);
        server.connect(writer);
        // The watchers: 1000 connections with 100 watches each on guests' device trees, as a toolstack and
        // backends would hold them; none on the benchmark's path.
        BenchConnection watcher = null;
        for (int i = 0; i < watches; i++) {
            if (i % 100 == 0) {
                watcher = new BenchConnection(server);
                server.connect(watcher);
            }
            String path = "/local/domain/" + (i / 100) + "/device/vif/" + (i % 100) + "/state";
            server.handler().handle(watcher, message(XsType.WATCH, path + "\0tok\0"));
        }
        writes = new XsMessage[64];
        for (int i = 0; i < writes.length; i++) {
            writes[i] = message(XsType.WRITE, "/bench/key" + i + "\0value");
        }
        for (XsMessage w : writes) {
            server.handler().handle(writer, w);
        }
    }

    private static XsMessage message(XsType type, String payload) {
        return new XsMessage(type.code, 0, 0, payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Benchmark
    public long write() {
        server.handler().handle(writer, writes[next++ & 63]);
        return writer.messages;
    }
}
