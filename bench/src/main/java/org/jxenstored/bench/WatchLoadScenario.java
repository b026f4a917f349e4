package org.jxenstored.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The cost of a write with many idle watches registered: one synchronous client's WRITE rate with no watches, then,
 * in the same run, with {@code watches} watches registered on {@code conns} other connections on paths the writes
 * never touch ({@code .../local/domain/<d>/device/vif/<i>/state}, as a toolstack and backends hold them).
 */
final class WatchLoadScenario implements Scenario {
    private final int watches;
    private final int conns;

    WatchLoadScenario(int watches, int conns) {
        this.watches = watches;
        this.conns = conns;
    }

    @Override
    public String name() {
        return "watches";
    }

    @Override
    public String description() {
        return "1 synchronous writer with 0 and " + watches + " idle watches (" + conns + " connections) registered";
    }

    private String none() {
        return "write-0w";
    }

    private String many() {
        return "write-" + watches + "w";
    }

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        String base = ctx.prefix + "/watches/" + ctx.nextRun();
        List<Measurement> out = new ArrayList<>();
        LoadDriver.Result r = SyncScenario.measure(ctx, t, SyncScenario.Op.WRITE, 1, base + "/a");
        out.add(Measurement.rate(none(), r.ops(), r.nanos(), r.latency()));
        List<XsClient> watchers = ctx.connectMany(t, conns);
        try {
            long t0 = System.nanoTime();
            int per = (watches + conns - 1) / conns;
            for (int i = 0; i < conns; i++) {
                XsClient c = watchers.get(i);
                int first = i * per;
                int mine = Math.max(0, Math.min(per, watches - first));
                byte[] top = Ops.bytes(base + "/idle/local/domain/");
                BenchContext.bulk(c, mine, false, (x, j) -> {
                    int w = first + j;
                    x.begin(XsClient.WATCH, 0);
                    x.put(top).putDecimal(w / 100).put(VIF).putDecimal(w % 100).put(STATE)
                            .putByte('t').putDecimal(w).nul();
                });
                BenchContext.awaitEvents(c, mine);
            }
            ctx.log.printf("  %s: registered %d watches in %.1f s%n", t, watches, (System.nanoTime() - t0) / 1e9);
            r = SyncScenario.measure(ctx, t, SyncScenario.Op.WRITE, 1, base + "/b");
            out.add(Measurement.rate(many(), r.ops(), r.nanos(), r.latency()));
        } finally {
            BenchContext.closeAll(watchers);
        }
        ctx.remove(t, base);
        return out;
    }

    private static final byte[] VIF = Ops.bytes("/device/vif/");
    private static final byte[] STATE = Ops.bytes("/state\0");

    @Override
    public List<Derived> derived() {
        return List.of(new Derived("write cost with " + watches + " watches / with none", many(), none(), true));
    }
}
