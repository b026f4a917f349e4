package org.jxenstored.logging;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * WARN lines a client can cause at will (a malformed frame on the socket: a fuzzer sends hundreds a second, each on
 * a new connection), limited to one line per source (a key, e.g. the client's pid) and interval. The first one from
 * a source always shows; the ones after it within the interval are counted, and the count is logged when the
 * interval ends (from a timer, the next event, or at stop) as one line: "... N more like this in the last 60 s,
 * not logged (last: ...)". At most {@code maxKeys} sources are tracked at once: beyond that, the rest share one key
 * ("others"), so a client that changes its pid every time (a shell loop) cannot flood the log either: at most
 * {@code 2 * (maxKeys + 1)} lines per interval.
 *
 * <p>Thread-safe; the clock is injected for tests.
 */
public final class RateLimitedLog {
    public static final int DEFAULT_KEYS = 16;
    static final String OTHERS = "\0others";

    private final Logger log;
    private final long intervalNanos;
    private final int maxKeys;
    private final LongSupplier clock;
    private final String othersSubject;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private boolean flushScheduled;
    private long logged;
    private long suppressed;

    private static final class Window {
        final long start;
        final String subject;
        long suppressed;
        String last;

        Window(long start, String subject) {
            this.start = start;
            this.subject = subject;
        }
    }

    /**
     * @param othersSubject how lines name the sources beyond {@code maxKeys} ("other socket clients")
     */
    public RateLimitedLog(Logger log, Duration interval, int maxKeys, LongSupplier nanoClock, String othersSubject) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.maxKeys = maxKeys;
        this.clock = nanoClock;
        this.othersSubject = othersSubject;
    }

    public RateLimitedLog(Logger log, Duration interval, int maxKeys, LongSupplier nanoClock) {
        this(log, interval, maxKeys, nanoClock, "others");
    }

    /**
     * Logs {@code subject: message} at WARN unless {@code key} logged within the interval (then it is counted).
     *
     * @param subject how the line names the source, computed only when a line is written
     * @return whether a line was written
     */
    public synchronized boolean warn(String key, Supplier<String> subject, String message) {
        long now = clock.getAsLong();
        expire(now, false);
        Window w = windows.get(key);
        if (w == null && windows.size() >= maxKeys) {
            key = OTHERS;
            w = windows.get(key);
        }
        if (w != null) {
            w.suppressed++;
            w.last = message;
            suppressed++;
            return false;
        }
        String s = key.equals(OTHERS) ? othersSubject : subject.get();
        windows.put(key, new Window(now, s));
        logged++;
        log.warn("{}: {}", s, message);
        return true;
    }

    /** Logs the counts of the sources whose interval ended ({@code all}: of every source, e.g. at stop). */
    public synchronized void flush(boolean all) {
        expire(clock.getAsLong(), all);
    }

    private void expire(long now, boolean all) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window w = it.next();
            long age = now - w.start;
            if (all || age >= intervalNanos) {
                if (w.suppressed > 0) {
                    log.warn("{}: {} more like this in the last {} s, not logged (last: {})", w.subject, w.suppressed,
                            Math.max(1, TimeUnit.NANOSECONDS.toSeconds(Math.min(age, intervalNanos))), w.last);
                }
                it.remove();
            }
        }
    }

    /**
     * Makes sure the counts are logged when the current intervals end even if no further event comes: schedules
     * one flush on {@code executor} (the store thread's event loop) unless one is pending.
     */
    public synchronized void scheduleFlush(ScheduledExecutorService executor) {
        if (flushScheduled || windows.isEmpty()) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        long now = clock.getAsLong();
        for (Window w : windows.values()) {
            oldest = Math.min(oldest, w.start);
        }
        long delay = Math.max(0, oldest + intervalNanos - now);
        flushScheduled = true;
        try {
            executor.schedule(() -> {
                synchronized (this) {
                    flushScheduled = false;
                    flush(false);
                    for (Window w : windows.values()) {
                        if (w.suppressed > 0) {
                            scheduleFlush(executor);
                            break;
                        }
                    }
                }
            }, delay + 1_000_000, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            flushScheduled = false; // shutting down: stop() flushes
        }
    }

    /** Lines written so far. */
    public synchronized long logged() {
        return logged;
    }

    /** Events counted instead of written so far. */
    public synchronized long suppressed() {
        return suppressed;
    }
}
