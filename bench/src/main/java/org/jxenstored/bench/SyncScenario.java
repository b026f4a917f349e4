package org.jxenstored.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Synchronous libxenstore-style clients: {@code conns} connections, one thread each, one request in flight per
 * connection, looping over 64 private keys (16-byte values) like Xen's xsloop probe: READ, WRITE, or a WRITE then a
 * READ of the same key (mixed).
 */
final class SyncScenario implements Scenario {
    enum Op {
        READ, WRITE, MIXED;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final int KEYS = 64;
    static final int VALUE_SIZE = 16;

    private final Op op;
    private final int conns;

    SyncScenario(Op op, int conns) {
        this.op = op;
        this.conns = conns;
    }

    @Override
    public String name() {
        return "sync-" + op.id() + "-c" + conns;
    }

    @Override
    public String description() {
        return conns + " synchronous client(s), " + op.id() + (op == Op.MIXED ? " (write+read pairs)" : "")
                + ", 64 keys each";
    }

    @Override
    public boolean basicOk() {
        return true;
    }

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        String base = ctx.prefix + "/sync/" + ctx.nextRun();
        LoadDriver.Result r = measure(ctx, t, op, conns, base);
        if (!t.basic()) {
            ctx.remove(t, base);
        }
        return List.of(Measurement.rate(name(), r.ops(), r.nanos(), r.latency()));
    }

    /** Drives {@code conns} synchronous clients on keys below {@code base} for the context's warm-up + interval. */
    static LoadDriver.Result measure(BenchContext ctx, Target t, Op op, int conns, String base) throws Exception {
        List<KeyWorker> workers = new ArrayList<>(conns);
        try {
            for (int i = 0; i < conns; i++) {
                workers.add(new KeyWorker(ctx.connect(t), op, base + "/c" + i));
            }
            return LoadDriver.drive(workers, ctx.warmNanos, ctx.measureNanos);
        } finally {
            for (KeyWorker w : workers) {
                w.client.close();
            }
        }
    }

    /** One synchronous client on its own keys. */
    static final class KeyWorker extends LoadDriver.Worker {
        final XsClient client;
        private final Op op;
        private final byte[][] paths = new byte[KEYS][];
        private int next;
        private long counter;

        KeyWorker(XsClient client, Op op, String dir) throws IOException {
            this.client = client;
            this.op = op;
            for (int k = 0; k < KEYS; k++) {
                paths[k] = Ops.cstr(dir + "/k" + k);
            }
            // Every key exists before the clock starts, so reads never miss.
            BenchContext.bulk(client, KEYS, false, (c, k) -> {
                c.begin(XsClient.WRITE, 0);
                c.put(paths[k]).putDigits(k, VALUE_SIZE);
            });
        }

        @Override
        void step(boolean measuring) throws Exception {
            int k = next++ & (KEYS - 1);
            XsClient c = client;
            if (op != Op.READ) {
                long t0 = System.nanoTime();
                c.begin(XsClient.WRITE, 0);
                c.put(paths[k]).putDigits(counter++, VALUE_SIZE);
                if (c.call() != XsClient.WRITE) {
                    throw new XsClient.XsError("WRITE failed: " + c.payloadString());
                }
                record(measuring, t0, System.nanoTime());
            }
            if (op != Op.WRITE) {
                long t0 = System.nanoTime();
                c.begin(XsClient.READ, 0);
                c.put(paths[k]);
                if (c.call() != XsClient.READ || c.len != VALUE_SIZE) {
                    throw new XsClient.XsError("READ failed: " + c.payloadString());
                }
                record(measuring, t0, System.nanoTime());
            }
        }
    }
}
