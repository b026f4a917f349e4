package org.jxenstored.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's resident memory (VmRSS of its pid) holding {@code nodes} nodes ({@code nodes / 100} domains with 100
 * nodes each, {@code .../local/domain/<d>/data/g<i>/k<j>}) and, optionally, the watches of {@code watchDomains}
 * domains ({@code watchesPerDomain} each, one connection per domain, held open). Set up once per target; best run
 * first on a freshly started daemon (the 10 000-node case) or last (the large case): a garbage-collected heap does
 * not give back all it once used. Measured after {@value #AT_REST_MILLIS} ms at rest, the size a daemon keeps while
 * it holds this state: a JVM gives the C heap its JIT compiler used during the set-up back to the system every second
 * (launcher flag {@code TrimNativeHeapInterval}); the peak is reported too ({@code hwm-MiB}).
 */
final class RssScenario implements Scenario {
    static final long AT_REST_MILLIS = 6000;

    private final String id;
    private final int nodes;
    private final int watchDomains;
    private final int watchesPerDomain;
    private final Map<Target, List<XsClient>> held = new HashMap<>();

    RssScenario(String id, int nodes, int watchDomains, int watchesPerDomain) {
        this.id = id;
        this.nodes = nodes;
        this.watchDomains = watchDomains;
        this.watchesPerDomain = watchesPerDomain;
    }

    @Override
    public String name() {
        return id;
    }

    @Override
    public String description() {
        return "daemon RSS with " + nodes + " nodes"
                + (watchDomains > 0 ? " and " + watchDomains + " domains' watches (" + watchesPerDomain + " each)" : "");
    }

    @Override
    public boolean needsPid() {
        return true;
    }

    private String root(BenchContext ctx) {
        return ctx.prefix + "/" + id;
    }

    @Override
    public void setUp(BenchContext ctx, Target t) throws Exception {
        long t0 = System.nanoTime();
        byte[] top = Ops.bytes(root(ctx) + "/local/domain/");
        try (XsClient c = ctx.connect(t)) {
            BenchContext.bulk(c, nodes, false, (x, i) -> {
                x.begin(XsClient.WRITE, 0);
                x.put(top).putDecimal(i / 100).put(DATA).putDecimal(i % 100 / 10).put(K).putDecimal(i % 10).nul()
                        .put(VALUE).putDecimal(i);
            });
        }
        List<XsClient> conns = ctx.connectMany(t, watchDomains);
        held.put(t, conns);
        for (int d = 0; d < watchDomains; d++) {
            XsClient c = conns.get(d);
            int dom = d;
            BenchContext.bulk(c, watchesPerDomain, false, (x, j) -> {
                x.begin(XsClient.WATCH, 0);
                x.put(top).putDecimal(dom).put(DEVICE).putDecimal(j).put(STATE).putByte('t').putDecimal(j).nul();
            });
            BenchContext.awaitEvents(c, watchesPerDomain);
        }
        ctx.log.printf("  %s: %d nodes, %d watches set up in %.1f s%n", t, nodes, watchDomains * watchesPerDomain,
                (System.nanoTime() - t0) / 1e9);
    }

    private static final byte[] DATA = Ops.bytes("/data/g");
    private static final byte[] K = Ops.bytes("/k");
    private static final byte[] VALUE = Ops.bytes("value-");
    private static final byte[] DEVICE = Ops.bytes("/device/vif/");
    private static final byte[] STATE = Ops.bytes("/state\0");

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        Thread.sleep(rep == 0 ? AT_REST_MILLIS : 500);
        long[] mem = BenchContext.memory(t);
        return List.of(new Measurement(id, "MiB", mem[0] / 1024.0, false, null).with("hwm-MiB", mem[1] / 1024.0));
    }

    @Override
    public void tearDown(BenchContext ctx, Target t) throws Exception {
        List<XsClient> conns = held.remove(t);
        if (conns != null) {
            BenchContext.closeAll(new ArrayList<>(conns));
        }
        ctx.remove(t, root(ctx));
    }
}
