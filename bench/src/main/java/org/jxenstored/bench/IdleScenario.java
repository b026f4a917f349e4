package org.jxenstored.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One active synchronous client (WRITE+READ pairs) while 0, then 100, 1 000, 5 000 ... idle connections are open,
 * all in the same run. Every idle connection has been answered once (so the daemon has accepted it) and then stays
 * silent, as the connections of a host's guests and backends mostly do. Needs {@code ulimit -n} above the largest
 * count for both the daemon and this tool.
 */
final class IdleScenario implements Scenario {
    private final int[] levels;

    IdleScenario(int[] levels) {
        this.levels = levels.clone();
    }

    @Override
    public String name() {
        return "idle";
    }

    @Override
    public String description() {
        return "1 active client while N idle connections are open";
    }

    @Override
    public boolean basicOk() {
        return true;
    }

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        String base = ctx.prefix + "/idle/" + ctx.nextRun();
        List<Measurement> out = new ArrayList<>();
        List<XsClient> idle = new ArrayList<>();
        byte[] probe = Ops.cstr(base + "/probe");
        try {
            LoadDriver.Result r = SyncScenario.measure(ctx, t, SyncScenario.Op.MIXED, 1, base + "/active");
            out.add(Measurement.rate("idle-0", r.ops(), r.nanos(), r.latency()));
            for (int level : levels) {
                long t0 = System.nanoTime();
                int from = idle.size();
                while (idle.size() < level) {
                    idle.add(XsClient.connect(t.socket(), XsClient.SMALL));
                }
                for (int i = from; i < idle.size(); i++) {
                    XsClient c = idle.get(i);
                    c.begin(XsClient.READ, 0);
                    c.put(probe);
                    c.end();
                    c.flush();
                }
                for (int i = from; i < idle.size(); i++) {
                    idle.get(i).recv();
                }
                ctx.log.printf("  %s: %d idle connections open (%.1f s)%n", t, level,
                        (System.nanoTime() - t0) / 1e9);
                r = SyncScenario.measure(ctx, t, SyncScenario.Op.MIXED, 1, base + "/active");
                out.add(Measurement.rate("idle-" + level, r.ops(), r.nanos(), r.latency()));
            }
        } finally {
            BenchContext.closeAll(idle);
        }
        if (!t.basic()) {
            ctx.remove(t, base);
        }
        return out;
    }

    @Override
    public List<Derived> derived() {
        List<Derived> d = new ArrayList<>();
        for (int level : levels) {
            d.add(new Derived("active client with " + level + " idle connections / with none (speed)",
                    "idle-" + level, "idle-0", false));
        }
        return d;
    }
}
