package org.jxenstored.bench;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A host-sized tree: {@code domains} guests with {@code nodesPerDomain} leaf nodes each (in groups of 10: {@code
 * .../local/domain/<d>/g<i>/k<j>}). Build: one synchronous client writes every leaf (nodes/s). Walk: one client
 * walks the whole tree the way {@code xenstore-ls} does, a DIRECTORY and a READ per node (nodes/s).
 */
final class TreeScenario implements Scenario {
    private final int domains;
    private final int nodesPerDomain;

    TreeScenario(int domains, int nodesPerDomain) {
        this.domains = domains;
        this.nodesPerDomain = nodesPerDomain;
    }

    @Override
    public String name() {
        return "tree";
    }

    @Override
    public String description() {
        return "build " + domains + " domains x " + nodesPerDomain + " nodes with synchronous writes, walk it like "
                + "xenstore-ls";
    }

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        String root = ctx.prefix + "/tree";
        ctx.remove(t, root);
        Measurement build;
        Measurement walk;
        try (XsClient c = ctx.connect(t)) {
            LatencyHistogram h = new LatencyHistogram();
            byte[] top = Ops.bytes(root + "/local/domain/");
            long t0 = System.nanoTime();
            long n = 0;
            for (int d = 0; d < domains; d++) {
                for (int i = 0; i < nodesPerDomain; i++) {
                    long s = System.nanoTime();
                    c.begin(XsClient.WRITE, 0);
                    c.put(top).putDecimal(d).put(G).putDecimal(i / 10).put(K).putDecimal(i % 10).nul()
                            .putDecimal(i);
                    c.callOk();
                    h.record(System.nanoTime() - s);
                    n++;
                }
            }
            long t1 = System.nanoTime();
            build = Measurement.rate("tree-build", n, t1 - t0, h);

            Walker w = new Walker(c, root);
            long w0 = System.nanoTime();
            w.walk(w.start());
            long w1 = System.nanoTime();
            long expected = (long) domains * nodesPerDomain + (long) domains * ((nodesPerDomain + 9) / 10) + domains + 2;
            if (w.nodes != expected) {
                throw new IllegalStateException("walked " + w.nodes + " nodes, expected " + expected);
            }
            walk = Measurement.rate("tree-walk", w.nodes, w1 - w0, w.latency)
                    .with("walk-seconds", (w1 - w0) / 1e9).with("requests", w.requests);
        }
        ctx.remove(t, root);
        return List.of(build, walk);
    }

    private static final byte[] G = Ops.bytes("/g");
    private static final byte[] K = Ops.bytes("/k");

    /** xenstore-ls: list a node's children; for each child read it, then descend. */
    private static final class Walker {
        private final XsClient client;
        private byte[] path = new byte[256];
        private final byte[] buf = new byte[XsClient.PAYLOAD_MAX];
        final LatencyHistogram latency = new LatencyHistogram();
        long nodes;
        long requests;

        Walker(XsClient client, String root) {
            this.client = client;
            byte[] r = Ops.bytes(root);
            System.arraycopy(r, 0, path, 0, r.length);
            rootLen = r.length;
        }

        private final int rootLen;

        int start() {
            return rootLen;
        }

        void walk(int len) throws IOException {
            path[len] = 0;
            byte[] cstr = Arrays.copyOf(path, len + 1);
            Names names = new Names();
            long t0 = System.nanoTime();
            int before = client.lastReqId();
            Ops.directory(client, cstr, buf, names);
            latency.record(System.nanoTime() - t0);
            requests += client.lastReqId() - before;
            int off = 0;
            while (off < names.len) {
                int end = off;
                while (names.bytes[end] != 0) {
                    end++;
                }
                int childLen = len + 1 + (end - off);
                if (childLen + 2 > path.length) {
                    path = Arrays.copyOf(path, childLen * 2);
                }
                path[len] = '/';
                System.arraycopy(names.bytes, off, path, len + 1, end - off);
                long s = System.nanoTime();
                client.begin(XsClient.READ, 0);
                client.put(path, 0, childLen).nul();
                client.callOk();
                latency.record(System.nanoTime() - s);
                requests++;
                nodes++;
                walk(childLen);
                off = end + 1;
            }
        }
    }

    /** Collects a listing's names. */
    private static final class Names implements Ops.NameSink {
        byte[] bytes = new byte[256];
        int len;

        @Override
        public void names(byte[] b, int off, int n) {
            if (len + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + n));
            }
            System.arraycopy(b, off, bytes, len, n);
            len += n;
        }
    }
}
