package org.jxenstored.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Large directories: for each size (default 1 000 and 50 000 children), listing the directory the way
 * {@code xs_directory} does (DIRECTORY, then DIRECTORY_PART when it does not fit in one message), and creating new
 * children in it (batches of 200 new children, each a timed WRITE, then removed untimed so the size stays put).
 */
final class DirectoryScenario implements Scenario {
    private static final int BATCH = 200;

    private final int[] sizes;

    DirectoryScenario(int[] sizes) {
        this.sizes = sizes.clone();
    }

    @Override
    public String name() {
        return "dir";
    }

    @Override
    public String description() {
        return "list a directory of N children (xs_directory), and create children in it";
    }

    private String dir(BenchContext ctx, int size) {
        return ctx.prefix + "/dir/d" + size;
    }

    @Override
    public void setUp(BenchContext ctx, Target t) throws Exception {
        try (XsClient c = ctx.connect(t)) {
            for (int size : sizes) {
                byte[] base = Ops.bytes(dir(ctx, size) + "/");
                long t0 = System.nanoTime();
                BenchContext.bulk(c, size, false, (x, i) -> {
                    x.begin(XsClient.WRITE, 0);
                    x.put(base).putDecimal(i).nul().putByte('v');
                });
                ctx.log.printf("  %s: created %d children in %.1f s%n", t, size, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    @Override
    public void tearDown(BenchContext ctx, Target t) throws Exception {
        ctx.remove(t, ctx.prefix + "/dir");
    }

    @Override
    public List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception {
        List<Measurement> out = new ArrayList<>();
        for (int size : sizes) {
            // A daemon may fail one case (oxenstored answers a large DIRECTORY with a reply over the protocol's 4096
            // bytes, which libxenstore refuses): record that, and go on with the others on a fresh connection.
            try (XsClient c = ctx.connect(t)) {
                ListWorker w = new ListWorker(c, Ops.cstr(dir(ctx, size)), size);
                LoadDriver.Result r = LoadDriver.drive(List.of(w), ctx.warmNanos, ctx.measureNanos);
                out.add(Measurement.rate("dir-list-" + size, r.ops(), r.nanos(), r.latency())
                        .with("requests/listing", w.requests / (double) Math.max(1, w.listings)));
            } catch (Exception e) {
                out.add(Measurement.failed("dir-list-" + size, "ops/s", true, e));
            }
        }
        for (int size : sizes) {
            try (XsClient c = ctx.connect(t)) {
                CreateWorker w = new CreateWorker(c, dir(ctx, size));
                LoadDriver.Result r = LoadDriver.drive(List.of(w), ctx.warmNanos, ctx.measureNanos);
                // Only the creations are timed (removals are not): the rate is 1 / mean creation time.
                double mean = r.latency().meanNanos();
                out.add(new Measurement("dir-create-" + size, "ops/s", mean > 0 ? 1e9 / mean : 0, true, r.latency()));
            }
        }
        return out;
    }

    @Override
    public List<Derived> derived() {
        List<Derived> d = new ArrayList<>();
        for (int i = 1; i < sizes.length; i++) {
            d.add(new Derived("create in " + sizes[i] + "-child dir / in " + sizes[0] + "-child dir (speed)",
                    "dir-create-" + sizes[i], "dir-create-" + sizes[0], false));
            d.add(new Derived("list " + sizes[i] + " / list " + sizes[0] + " (speed)",
                    "dir-list-" + sizes[i], "dir-list-" + sizes[0], false));
        }
        return d;
    }

    private static final class ListWorker extends LoadDriver.Worker {
        private final XsClient client;
        private final byte[] path;
        private final int expected;
        private final byte[] buf = new byte[XsClient.PAYLOAD_MAX];
        long listings;
        long requests;

        ListWorker(XsClient client, byte[] path, int expected) {
            this.client = client;
            this.path = path;
            this.expected = expected;
        }

        @Override
        void step(boolean measuring) throws Exception {
            long t0 = System.nanoTime();
            int before = client.lastReqId();
            int n = Ops.directory(client, path, buf, null);
            record(measuring, t0, System.nanoTime());
            if (n != expected) {
                throw new IllegalStateException("listed " + n + " children, expected " + expected);
            }
            if (measuring) {
                listings++;
                requests += client.lastReqId() - before;
            }
        }
    }

    private static final class CreateWorker extends LoadDriver.Worker {
        private final XsClient client;
        private final byte[][] paths = new byte[BATCH][];

        CreateWorker(XsClient client, String dir) {
            this.client = client;
            for (int i = 0; i < BATCH; i++) {
                paths[i] = Ops.cstr(dir + "/new" + i);
            }
        }

        @Override
        void step(boolean measuring) throws Exception {
            XsClient c = client;
            for (int i = 0; i < BATCH; i++) {
                long t0 = System.nanoTime();
                c.begin(XsClient.WRITE, 0);
                c.put(paths[i]).putByte('v');
                c.callOk();
                record(measuring, t0, System.nanoTime());
            }
            BenchContext.bulk(c, BATCH, false, (x, i) -> {
                x.begin(XsClient.RM, 0);
                x.put(paths[i]);
            });
        }
    }
}
