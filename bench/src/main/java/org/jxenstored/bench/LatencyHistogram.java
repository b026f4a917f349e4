package org.jxenstored.bench;

/**
 * A log-linear histogram of nanosecond latencies: exact below 256 ns, then 128 buckets per power of two (under 1 %
 * relative error), up to about 18 minutes. Recording is an array increment: no allocation, one per thread, merged at
 * the end.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    private static final int LINEAR = 2 * SUB;
    private static final int BUCKETS = LINEAR + 34 * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;
    private long min = Long.MAX_VALUE;
    private double sum;

    void record(long nanos) {
        if (nanos < 0) {
            nanos = 0;
        }
        counts[index(nanos)]++;
        total++;
        sum += nanos;
        if (nanos > max) {
            max = nanos;
        }
        if (nanos < min) {
            min = nanos;
        }
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
        int i = shift * SUB + (int) (v >>> shift);
        return Math.min(i, BUCKETS - 1);
    }

    /** A representative value (the middle) of bucket {@code i}. */
    static long value(int i) {
        if (i < LINEAR) {
            return i;
        }
        int shift = i / SUB - 1;
        long m = i - (long) shift * SUB;
        return (m << shift) + ((1L << shift) - 1) / 2;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
    }

    long count() {
        return total;
    }

    double meanNanos() {
        return total == 0 ? 0 : sum / total;
    }

    long maxNanos() {
        return total == 0 ? 0 : max;
    }

    /** The value at quantile {@code q} (0..1), in nanoseconds; 0 when empty. */
    long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        if (rank < 1) {
            rank = 1;
        }
        if (rank >= total) {
            return max;
        }
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(Math.max(value(i), min), max);
            }
        }
        return max;
    }
}
