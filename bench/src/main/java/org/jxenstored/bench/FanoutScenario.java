package org.jxenstored.bench;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;

/**
 * Watch fan-out: {@code watchers} watches on one node, {@code perConn} per connection (distinct tokens), and one
 * writer. Each round writes the node once and waits until the last watcher's event has arrived; the primary value
 * is the median of that time. Every event is read by one client thread over a selector.
 */
final class FanoutScenario implements Scenario {
    private static final long ROUND_TIMEOUT_NANOS = 30_000_000_000L;
    private static final int MIN_ROUNDS = 5;

    private final int watchers;
    private final int perConn;

    FanoutScenario(int watchers, int perConn) {
        this.watchers = watchers;
        this.perConn = perConn;
    }

    @Override
    public String name() {
        return "fanout-" + watchers;
    }

    @Override
    public String description() {
        return "one write, " + watchers + " watchers (" + perConn + " per connection): time until the last event";
    }

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        String base = ctx.prefix + "/fan/" + ctx.nextRun();
        String node = base + "/node";
        byte[] nodeCstr = Ops.cstr(node);
        int nConns = (watchers + perConn - 1) / perConn;
        List<XsClient> conns = null;
        LatencyHistogram rounds = new LatencyHistogram();
        try (XsClient writer = ctx.connect(t); Selector selector = Selector.open()) {
            Ops.write(writer, 0, node, "0");
            conns = ctx.connectMany(t, nConns);
            for (int i = 0; i < nConns; i++) {
                XsClient c = conns.get(i);
                int mine = Math.min(perConn, watchers - i * perConn);
                byte[] path = Ops.cstr(node);
                int connIndex = i;
                BenchContext.bulk(c, mine, false, (x, j) -> {
                    x.begin(XsClient.WATCH, 0);
                    x.put(path).putByte('t').putDecimal((long) connIndex * perConn + j).nul();
                });
                BenchContext.awaitEvents(c, mine); // the initial event of every watch
            }
            Counter counter = new Counter();
            for (XsClient c : conns) {
                c.blocking(false);
                c.channel().register(selector, SelectionKey.OP_READ, c);
            }
            long warmEnd = System.nanoTime() + ctx.warmNanos;
            long value = 0;
            while (System.nanoTime() < warmEnd) {
                round(writer, nodeCstr, value++, selector, counter);
            }
            long measureEnd = System.nanoTime() + ctx.measureNanos;
            int n = 0;
            while (n < MIN_ROUNDS || System.nanoTime() < measureEnd) {
                rounds.record(round(writer, nodeCstr, value++, selector, counter));
                n++;
            }
        } finally {
            if (conns != null) {
                BenchContext.closeAll(conns);
            }
        }
        ctx.remove(t, base);
        double median = rounds.percentile(0.5);
        return List.of(new Measurement(name(), "ms", median / 1e6, false, rounds)
                .with("events/s", watchers * 1e9 / rounds.meanNanos())
                .with("rounds", rounds.count()));
    }

    /** Events still expected in the current round. */
    private static final class Counter {
        long pending;
        IOException failure;
    }

    private long round(XsClient writer, byte[] node, long value, Selector selector, Counter counter)
            throws IOException {
        counter.pending = watchers;
        long t0 = System.nanoTime();
        writer.begin(XsClient.WRITE, 0);
        writer.put(node).putDecimal(value);
        writer.end();
        writer.flush();
        while (counter.pending > 0) {
            selector.select(key -> {
                XsClient c = (XsClient) key.attachment();
                try {
                    while (c.fill() > 0) {
                        while (c.poll()) {
                            if (c.type == XsClient.WATCH_EVENT) {
                                counter.pending--;
                            }
                        }
                    }
                } catch (IOException e) {
                    counter.failure = e;
                }
            }, 1000);
            if (counter.failure != null) {
                throw counter.failure;
            }
            if (System.nanoTime() - t0 > ROUND_TIMEOUT_NANOS) {
                throw new IllegalStateException(counter.pending + " of " + watchers + " events missing after 30 s");
            }
        }
        long t1 = System.nanoTime();
        writer.recv();
        if (writer.type != XsClient.WRITE) {
            throw new XsClient.XsError("WRITE failed: " + writer.payloadString());
        }
        return t1 - t0;
    }
}
