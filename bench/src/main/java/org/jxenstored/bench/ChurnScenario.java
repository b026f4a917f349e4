package org.jxenstored.bench;

import java.util.List;

/**
 * Connection churn, the way {@code xenstore-read} uses the daemon: connect, one READ, close; one client in a loop.
 * The rate is connections per second; latency is per connect-read-close cycle.
 */
final class ChurnScenario implements Scenario {
    @Override
    public String name() {
        return "churn";
    }

    @Override
    public String description() {
        return "connect, READ, close, in a loop (connections/s)";
    }

    @Override
    public boolean basicOk() {
        return true;
    }

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        String key = ctx.prefix + "/churn/" + ctx.nextRun();
        try (XsClient c = ctx.connect(t)) {
            Ops.write(c, 0, key, "value");
        }
        byte[] path = Ops.cstr(key);
        LoadDriver.Worker w = new LoadDriver.Worker() {
            @Override
            void step(boolean measuring) throws Exception {
                long t0 = System.nanoTime();
                try (XsClient c = XsClient.connect(t.socket(), XsClient.SMALL)) {
                    c.begin(XsClient.READ, 0);
                    c.put(path);
                    c.callOk();
                }
                record(measuring, t0, System.nanoTime());
            }
        };
        LoadDriver.Result r = LoadDriver.drive(List.of(w), ctx.warmNanos, ctx.measureNanos);
        if (!t.basic()) {
            ctx.remove(t, ctx.prefix + "/churn");
        }
        return List.of(Measurement.rate(name(), r.ops(), r.nanos(), r.latency()));
    }
}
