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
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Store operations through the request handler on a host-sized tree: {@code domains} guests with 100 nodes each.
 * Creating (and removing) a child of a directory with {@code domains} children must not get slower as it grows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class StoreBenchmark {
    @Param({"1000", "50000"})
    int domains;

    private Server server;
    private BenchConnection conn;
    private XsMessage read;
    private XsMessage directory;
    private XsMessage transaction;
    private final XsMessage[] create = new XsMessage[64];
    private final XsMessage[] remove = new XsMessage[64];
    private int next;

    @Setup
    public void setUp() {
        server = new Server(new Limits());
        conn = new BenchConnection(server);
        server.connect(conn);
        int nodesPerDomain = domains > 1000 ? 2 : 100;
        for (int d = 0; d < domains; d++) {
            for (int n = 0; n < nodesPerDomain; n++) {
                server.handler().handle(conn, message(XsType.WRITE,
                        "/local/domain/" + d + "/device/vif/" + n + "\0" + "value" + n));
            }
        }
        read = message(XsType.READ, "/local/domain/" + (domains / 2) + "/device/vif/1\0");
        directory = message(XsType.DIRECTORY, "/local/domain/" + (domains / 2) + "/device/vif\0");
        transaction = message(XsType.TRANSACTION_START, "\0");
        for (int i = 0; i < create.length; i++) {
            create[i] = message(XsType.WRITE, "/local/domain/new" + i + "\0v");
            remove[i] = message(XsType.RM, "/local/domain/new" + i + "\0");
        }
    }

    private static XsMessage message(XsType type, String payload) {
        return new XsMessage(type.code, 0, 0, payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Benchmark
    public long read() {
        server.handler().handle(conn, read);
        return conn.messages;
    }

    @Benchmark
    public long directory() {
        server.handler().handle(conn, directory);
        return conn.messages;
    }

    /**
     * Creating a new child of {@code /local/domain}, which has {@code domains} children, and removing it again (so
     * that the directory keeps its size however long the benchmark runs).
     */
    @Benchmark
    public long createRemoveChildOfLargeDirectory() {
        int i = next++ & (create.length - 1);
        server.handler().handle(conn, create[i]);
        server.handler().handle(conn, remove[i]);
        return conn.messages;
    }

    /** TRANSACTION_START then abort: the snapshot must be O(1) whatever the tree size. */
    @Benchmark
    public long transactionStartAbort() {
        server.handler().handle(conn, transaction);
        int id = conn.transactions().keySet().iterator().next();
        server.handler().handle(conn, new XsMessage(XsType.TRANSACTION_END.code, 0, id,
                "F\0".getBytes(StandardCharsets.ISO_8859_1)));
        return conn.messages;
    }
}
