package org.jxenstored.stats;

import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.RequestStats;

/**
 * Per request type: requests, errors, total time and a latency histogram (HdrHistogram, 2 significant digits, 100 ns
 * to 10 s; longer times are recorded as 10 s). One slot per wire type a client may send, and one for the rest
 * (undefined codes, WATCH_EVENT, ERROR and RESTRICT sent as requests). Everything is allocated here, once: recording
 * a request only increments counters and a histogram bucket.
 *
 * <p>Written and read on the store thread only; other threads get {@link StatsSnapshot}s taken there.
 */
final class RequestTypes implements RequestStats {
    /** Latencies below this are one bucket (ns). */
    static final long LOWEST_NANOS = 100;
    /** Latencies above this are recorded as this (ns). */
    static final long HIGHEST_NANOS = 10_000_000_000L;
    static final int SIGNIFICANT_DIGITS = 2;

    /** The slot of every wire type code below {@link #CODES}; codes at or above it share {@link #other}. */
    private static final int CODES = 27;
    private final int[] slotOfCode = new int[CODES];
    private final String[] names;
    private final int other;
    private final long[] count;
    private final long[] errors;
    private final long[] totalNanos;
    private final Histogram[] latency;

    RequestTypes() {
        int slots = 0;
        String[] n = new String[CODES + 1];
        for (int code = 0; code < CODES; code++) {
            XsType t = XsType.of(code);
            if (t == null || t == XsType.WATCH_EVENT || t == XsType.ERROR || t == XsType.RESTRICT) {
                slotOfCode[code] = -1;
            } else {
                slotOfCode[code] = slots;
                n[slots++] = t.name().toLowerCase(Locale.ROOT);
            }
        }
        other = slots;
        n[slots++] = "other";
        for (int code = 0; code < CODES; code++) {
            if (slotOfCode[code] < 0) {
                slotOfCode[code] = other;
            }
        }
        names = java.util.Arrays.copyOf(n, slots);
        count = new long[slots];
        errors = new long[slots];
        totalNanos = new long[slots];
        latency = new Histogram[slots];
        for (int i = 0; i < slots; i++) {
            latency[i] = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        }
    }

    @Override
    public void served(int type, boolean error, long nanos) {
        int slot = type >= 0 && type < CODES ? slotOfCode[type] : other;
        count[slot]++;
        if (error) {
            errors[slot]++;
        }
        long v = nanos < 0 ? 0 : Math.min(nanos, HIGHEST_NANOS);
        totalNanos[slot] += v;
        latency[slot].recordValue(v);
    }

    int slots() {
        return names.length;
    }

    /** The name of a slot: the type's name in lower case ({@code read}, {@code transaction_start}), or "other". */
    String name(int slot) {
        return names[slot];
    }

    /** One slot's figures now, with its percentiles worked out (store thread). */
    StatsSnapshot.TypeRow row(int slot) {
        long n = count[slot];
        Histogram h = latency[slot];
        return new StatsSnapshot.TypeRow(names[slot], n, errors[slot], totalNanos[slot],
                n == 0 ? 0 : h.getValueAtPercentile(50), n == 0 ? 0 : h.getValueAtPercentile(99),
                n == 0 ? 0 : h.getMaxValue());
    }

    /** Bytes the histograms take (for the documentation of the daemon's memory). */
    long footprintBytes() {
        long sum = 0;
        for (Histogram h : latency) {
            sum += h.getEstimatedFootprintInBytes();
        }
        return sum;
    }
}
