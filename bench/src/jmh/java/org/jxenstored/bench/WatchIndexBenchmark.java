package org.jxenstored.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jxenstored.watch.Watch;
import org.jxenstored.watch.WatchIndex;
import org.jxenstored.watch.Watcher;
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
 * The watch index alone: finding the watches a change fires, with {@code watches} watches registered (1 000
 * domains x 100 device-state watches, as a toolstack and backends hold them), and registering plus removing one
 * watch. Matching must cost the same with 0 and 100 000 watches registered elsewhere.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class WatchIndexBenchmark {
    @Param({"0", "100000"})
    int watches;

    private WatchIndex index;
    private Watcher owner;
    private long matched;
    private final BiConsumer<Watch, String> count = (w, p) -> matched++;
    private int next;
    private static final String[] UNWATCHED = new String[64];
    private static final String[] WATCHED = new String[64];

    static {
        for (int i = 0; i < 64; i++) {
            UNWATCHED[i] = "/local/domain/" + (i * 13) + "/memory/target";
            WATCHED[i] = "/local/domain/" + (i * 13) + "/device/vif/" + (i % 100) + "/state";
        }
    }

    /** A privileged watcher that drops its events. */
    static final class NullWatcher implements Watcher {
        @Override
        public void sendEvent(byte[] payload) {
        }

        @Override
        public int domid() {
            return 0;
        }

        @Override
        public boolean privileged() {
            return true;
        }

        @Override
        public int target() {
            return NO_TARGET;
        }
    }

    @Setup
    public void setUp() {
        index = new WatchIndex();
        owner = new NullWatcher();
        for (int i = 0; i < watches; i++) {
            index.add(new Watch(owner, "/local/domain/" + (i / 100) + "/device/vif/" + (i % 100) + "/state",
                    "tok" + i, Watch.ANY_DEPTH, 0));
        }
        // The node watched by a toolstack on every guest, and the root (xenstore-watch /): both always match.
        index.add(new Watch(owner, "/local/domain", "all", Watch.ANY_DEPTH, 0));
    }

    /** A change nobody watches specifically (only the /local/domain watch matches). */
    @Benchmark
    public long matchUnwatched() {
        index.forEachMatch(UNWATCHED[next++ & 63], count);
        return matched;
    }

    /** A change of a watched device state (two matches when the 100 000 are registered). */
    @Benchmark
    public long matchWatched() {
        index.forEachMatch(WATCHED[next++ & 63], count);
        return matched;
    }

    /** Registering and removing a watch among the others. */
    @Benchmark
    public int addRemove() {
        Watch w = new Watch(owner, UNWATCHED[next++ & 63], "t", Watch.ANY_DEPTH, 0);
        index.add(w);
        index.remove(w);
        return index.size();
    }
}
