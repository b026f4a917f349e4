package org.jxenstored.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs workers, one thread each, through a warm-up, a measured interval and a stop. A worker repeats its step while
 * the phase allows; it records latencies and counts operations only for steps begun in the measured interval, whose
 * length the driver takes from its own clock. Workers neither allocate nor synchronise per step (one volatile read).
 */
final class LoadDriver {
    static final int WARM = 0;
    static final int MEASURE = 1;
    static final int STOP = 2;

    /** One load-generating thread. */
    abstract static class Worker implements Runnable {
        final LatencyHistogram latency = new LatencyHistogram();
        /** Operations counted in the measured interval. */
        long ops;
        volatile Throwable failure;
        private volatile int phase;
        private CountDownLatch started;

        /** One unit of work; {@code measuring} says whether to record it (see {@link #record}). */
        abstract void step(boolean measuring) throws Exception;

        /** Called on the worker's thread after the last step (e.g. close the connection). */
        void finish() throws Exception {
        }

        final void record(boolean measuring, long startNanos, long endNanos) {
            if (measuring) {
                latency.record(endNanos - startNanos);
                ops++;
            }
        }

        @Override
        public final void run() {
            started.countDown();
            try {
                for (;;) {
                    int p = phase;
                    if (p == STOP) {
                        break;
                    }
                    step(p == MEASURE);
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                try {
                    finish();
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }
    }

    /** Result of one drive: the measured interval and the merged latencies. */
    record Result(long nanos, long ops, LatencyHistogram latency) {
        double rate() {
            return nanos <= 0 ? 0 : ops * 1e9 / nanos;
        }
    }

    private LoadDriver() {
    }

    static Result drive(List<? extends Worker> workers, long warmNanos, long measureNanos) throws Exception {
        CountDownLatch started = new CountDownLatch(workers.size());
        Thread[] threads = new Thread[workers.size()];
        for (int i = 0; i < threads.length; i++) {
            Worker w = workers.get(i);
            w.started = started;
            w.phase = WARM;
            threads[i] = new Thread(w, "bench-worker-" + i);
            threads[i].setDaemon(true);
        }
        for (Thread t : threads) {
            t.start();
        }
        started.await();
        sleepWatching(workers, warmNanos);
        for (Worker w : workers) {
            w.phase = MEASURE;
        }
        long t0 = System.nanoTime();
        sleepWatching(workers, measureNanos);
        for (Worker w : workers) {
            w.phase = STOP;
        }
        long t1 = System.nanoTime();
        for (Thread t : threads) {
            t.join(60_000);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop (daemon not answering?)");
            }
        }
        LatencyHistogram all = new LatencyHistogram();
        long ops = 0;
        for (Worker w : workers) {
            if (w.failure != null) {
                throw new IllegalStateException("worker failed: " + w.failure, w.failure);
            }
            all.add(w.latency);
            ops += w.ops;
        }
        return new Result(t1 - t0, ops, all);
    }

    private static void sleepWatching(List<? extends Worker> workers, long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        for (;;) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            for (Worker w : workers) {
                if (w.failure != null) {
                    return;
                }
            }
            Thread.sleep(Math.max(1, Math.min(50, left / 1_000_000)));
        }
    }
}
