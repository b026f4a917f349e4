package org.jxenstored.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Transactions: {@code clients} synchronous clients, each looping TRANSACTION_START, READ a counter, WRITE it back
 * incremented, TRANSACTION_END commit; an EAGAIN is counted and the transaction retried. On disjoint subtrees
 * every client has its own counter (no conflict is legitimate); on a shared subtree all update the same counter.
 * The rate is successful commits per second; latency is per attempt.
 */
final class TransactionScenario implements Scenario {
    private final boolean shared;
    private final int clients;

    TransactionScenario(boolean shared, int clients) {
        this.shared = shared;
        this.clients = clients;
    }

    @Override
    public String name() {
        return "tx-" + (shared ? "shared" : "disjoint") + "-k" + clients;
    }

    @Override
    public String description() {
        return clients + " clients, read-modify-write transactions on " + (shared ? "one shared" : "disjoint")
                + " subtree" + (shared ? "" : "s") + " (commits/s, EAGAIN rate)";
    }

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        String base = ctx.prefix + "/tx/" + ctx.nextRun();
        List<Worker> workers = new ArrayList<>();
        LoadDriver.Result r;
        try {
            for (int i = 0; i < clients; i++) {
                workers.add(new Worker(ctx.connect(t), base + (shared ? "/shared" : "/c" + i)));
            }
            r = LoadDriver.drive(workers, ctx.warmNanos, ctx.measureNanos);
        } finally {
            for (Worker w : workers) {
                w.client.close();
            }
        }
        ctx.remove(t, base);
        long commits = 0;
        long conflicts = 0;
        for (Worker w : workers) {
            commits += w.ops;
            conflicts += w.conflicts;
        }
        double eagain = commits + conflicts == 0 ? 0 : conflicts / (double) (commits + conflicts);
        return List.of(Measurement.rate(name(), commits, r.nanos(), r.latency()).with("eagain-rate", eagain));
    }

    private static final class Worker extends LoadDriver.Worker {
        final XsClient client;
        private final byte[] counter;
        long conflicts;

        Worker(XsClient client, String dir) throws IOException {
            this.client = client;
            this.counter = Ops.cstr(dir + "/counter");
            Ops.write(client, 0, dir + "/counter", "0");
        }

        @Override
        void step(boolean measuring) throws Exception {
            XsClient c = client;
            long t0 = System.nanoTime();
            int tx = Ops.transactionStart(c);
            c.begin(XsClient.READ, tx);
            c.put(counter);
            c.callOk();
            long v = c.payloadDecimal();
            c.begin(XsClient.WRITE, tx);
            c.put(counter).putDecimal(v + 1);
            c.callOk();
            boolean ok = Ops.transactionEnd(c, tx, true);
            long t1 = System.nanoTime();
            if (measuring) {
                latency.record(t1 - t0);
                if (ok) {
                    ops++;
                } else {
                    conflicts++;
                }
            }
        }
    }
}
