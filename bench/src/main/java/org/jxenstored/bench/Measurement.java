package org.jxenstored.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One result of one scenario case on one target in one repetition: a primary value ({@code ops/s}, a time, a size)
 * with its direction, the latency distribution of its operations when there is one, and named extra figures.
 */
final class Measurement {
    final String caseId;
    final String unit;
    final double value;
    final boolean higherIsBetter;
    final LatencyHistogram latency;
    final Map<String, Double> extra = new LinkedHashMap<>();
    /** The repetition this was measured in (set by the runner): ratios pair measurements of the same repetition. */
    int rep;
    /** Why the case could not be measured on this target (then there is no value), or null. */
    String failure;

    Measurement(String caseId, String unit, double value, boolean higherIsBetter, LatencyHistogram latency) {
        this.caseId = caseId;
        this.unit = unit;
        this.value = value;
        this.higherIsBetter = higherIsBetter;
        this.latency = latency;
    }

    static Measurement rate(String caseId, long ops, long nanos, LatencyHistogram latency) {
        return new Measurement(caseId, "ops/s", nanos <= 0 ? 0 : ops * 1e9 / nanos, true, latency);
    }

    /** A case that failed on this target while the scenario's other cases went on. */
    static Measurement failed(String caseId, String unit, boolean higherIsBetter, Exception why) {
        Measurement m = new Measurement(caseId, unit, Double.NaN, higherIsBetter, null);
        m.failure = why.toString();
        return m;
    }

    Measurement with(String name, double v) {
        extra.put(name, v);
        return this;
    }
}
