package org.jxenstored.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pipelined clients: {@code conns} connections, one thread each, keeping {@code depth} requests in flight (a sliding
 * window: each reply lets one more request go, sent in batches per read). Latency is from sending a request to its
 * reply, queueing included.
 */
final class PipelineScenario implements Scenario {
    private final SyncScenario.Op op;
    private final int conns;
    private final int depth;

    PipelineScenario(SyncScenario.Op op, int conns, int depth) {
        this.op = op;
        this.conns = conns;
        this.depth = depth;
    }

    @Override
    public String name() {
        return "pipe-" + op.id() + "-c" + conns + "-d" + depth;
    }

    @Override
    public String description() {
        return conns + " pipelined client(s), " + depth + " requests in flight each, " + op.id();
    }

    @Override
    public boolean basicOk() {
        return true;
    }

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        String base = ctx.prefix + "/pipe/" + ctx.nextRun();
        List<Worker> workers = new ArrayList<>(conns);
        LoadDriver.Result r;
        try {
            for (int i = 0; i < conns; i++) {
                workers.add(new Worker(ctx.connect(t), base + "/c" + i));
            }
            r = LoadDriver.drive(workers, ctx.warmNanos, ctx.measureNanos);
        } finally {
            for (Worker w : workers) {
                w.client.close();
            }
        }
        if (!t.basic()) {
            ctx.remove(t, base);
        }
        return List.of(Measurement.rate(name(), r.ops(), r.nanos(), r.latency()));
    }

    private final class Worker extends LoadDriver.Worker {
        final XsClient client;
        private final byte[][] paths = new byte[SyncScenario.KEYS][];
        private final long[] sentAt = new long[depth];
        /** Request types in flight, by sequence number modulo depth. */
        private final int[] sentType = new int[depth];
        private long sent;
        private long received;

        Worker(XsClient client, String dir) throws IOException {
            this.client = client;
            for (int k = 0; k < paths.length; k++) {
                paths[k] = Ops.cstr(dir + "/k" + k);
            }
            BenchContext.bulk(client, paths.length, false, (c, k) -> {
                c.begin(XsClient.WRITE, 0);
                c.put(paths[k]).putDigits(k, SyncScenario.VALUE_SIZE);
            });
        }

        private void topUp() throws IOException {
            XsClient c = client;
            long now = System.nanoTime();
            while (sent - received < depth) {
                int slot = (int) (sent % depth);
                int k = (int) (sent & (SyncScenario.KEYS - 1));
                boolean write = op == SyncScenario.Op.WRITE || (op == SyncScenario.Op.MIXED && (sent & 1) == 0);
                if (write) {
                    c.begin(XsClient.WRITE, 0);
                    c.put(paths[k]).putDigits(sent, SyncScenario.VALUE_SIZE);
                    sentType[slot] = XsClient.WRITE;
                } else {
                    c.begin(XsClient.READ, 0);
                    c.put(paths[k]);
                    sentType[slot] = XsClient.READ;
                }
                c.end();
                sentAt[slot] = now;
                sent++;
            }
            c.flush();
        }

        @Override
        void step(boolean measuring) throws Exception {
            XsClient c = client;
            if (sent == received) {
                topUp();
            }
            c.fill();
            long now = System.nanoTime();
            while (c.poll()) {
                int slot = (int) (received % depth);
                if (c.type != sentType[slot]) {
                    throw new XsClient.XsError("unexpected reply type " + c.type + ": " + c.payloadString());
                }
                record(measuring, sentAt[slot], now);
                received++;
            }
            topUp();
        }

        /** Collects the replies still in flight: a server must not be left writing to a closed socket. */
        @Override
        void finish() {
            try {
                while (received < sent) {
                    client.fill();
                    while (client.poll()) {
                        received++;
                    }
                }
            } catch (IOException e) {
                // the connection is going anyway
            }
        }
    }
}
