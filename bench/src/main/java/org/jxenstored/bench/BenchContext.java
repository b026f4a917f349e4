package org.jxenstored.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** What scenarios share: timing, the key prefix, progress output, and helpers for set-up work. */
final class BenchContext {
    final long warmNanos;
    final long measureNanos;
    /** Every scenario works below this path (removed afterwards). */
    final String prefix;
    final PrintStream log;
    private final AtomicInteger runSeq = new AtomicInteger();

    BenchContext(double warmSeconds, double measureSeconds, String prefix, PrintStream log) {
        this.warmNanos = (long) (warmSeconds * 1e9);
        this.measureNanos = (long) (measureSeconds * 1e9);
        this.prefix = prefix;
        this.log = log;
    }

    /** A number unique in this benchmark process, for paths private to one run. */
    int nextRun() {
        return runSeq.incrementAndGet();
    }

    XsClient connect(Target t) throws IOException {
        return XsClient.connect(t.socket());
    }

    /** Opens {@code n} connections with small buffers (sequentially: C xenstored's listen backlog is 1). */
    List<XsClient> connectMany(Target t, int n) throws IOException {
        List<XsClient> list = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                list.add(XsClient.connect(t.socket(), XsClient.SMALL));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(list);
            throw e;
        }
        return list;
    }

    static void closeAll(List<XsClient> clients) {
        for (XsClient c : clients) {
            c.close();
        }
        clients.clear();
    }

    /** Builds request {@code i} (begin and payload; {@link #bulk} ends it). */
    interface RequestBuilder {
        void build(XsClient c, int i);
    }

    /**
     * Sends {@code count} requests pipelined (up to 64 in flight) and collects their replies; watch events met on
     * the way are counted in {@link XsClient#eventsSkipped}. Returns the number of error replies; they are
     * exceptions unless {@code errorsOk}.
     */
    static long bulk(XsClient c, int count, boolean errorsOk, RequestBuilder b) throws IOException {
        final int window = 64;
        int sent = 0;
        int done = 0;
        long errors = 0;
        while (done < count) {
            while (sent < count && sent - done < window && c.roomForRequest()) {
                b.build(c, sent);
                c.end();
                sent++;
            }
            if (c.pendingOutput() > 0) {
                c.flush();
            }
            int target = sent == count ? count : sent - window / 2;
            while (done < target) {
                c.recv();
                if (c.type == XsClient.WATCH_EVENT) {
                    c.eventsSkipped++;
                    continue;
                }
                if (c.type == XsClient.ERROR) {
                    if (!errorsOk) {
                        throw new XsClient.XsError(c.payloadString() + " (bulk request " + done + ")");
                    }
                    errors++;
                }
                done++;
            }
        }
        return errors;
    }

    /** Reads until {@code c} has seen {@code n} watch events in all (counting those already skipped). */
    static void awaitEvents(XsClient c, long n) throws IOException {
        while (c.eventsSkipped < n) {
            c.recv();
            if (c.type == XsClient.WATCH_EVENT) {
                c.eventsSkipped++;
            }
        }
    }

    /** Removes a subtree; a missing one is fine. */
    void remove(Target t, String path) throws IOException {
        try (XsClient c = connect(t)) {
            Ops.rm(c, path);
        }
    }

    /** VmRSS (index 0) and VmHWM (index 1) of the target process in KiB, or null without a pid. */
    static long[] memory(Target t) throws IOException {
        if (t.pid() <= 0) {
            return null;
        }
        long rss = -1;
        long hwm = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + t.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new long[] {rss, hwm};
    }
}
