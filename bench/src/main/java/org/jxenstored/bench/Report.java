package org.jxenstored.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link Runner}'s measurements into Markdown tables (values, speed ratios against a baseline target,
 * latencies, ratios between cases on one target) and into JSON. Values are medians over repetitions; latency
 * percentiles are over all repetitions' operations. It reports what was measured and judges nothing: acceptance
 * targets belong to the issues and docs/performance.md, not to the tool.
 */
final class Report {
    private final Runner runner;
    private final List<Target> targets;
    private final String baseline;
    private final Map<String, String> meta;
    /** VmRSS and VmHWM (KiB) of the targets with a pid, at the end of the run. */
    final Map<String, long[]> endMemory = new LinkedHashMap<>();

    Report(Runner runner, List<Target> targets, String baseline, Map<String, String> meta) {
        this.runner = runner;
        this.targets = targets;
        this.baseline = baseline;
        this.meta = meta;
    }

    // ---- numbers

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String ratio(Double r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private List<Measurement> runs(String caseId, String target) {
        Runner.CaseResults cr = runner.cases.get(caseId);
        return cr == null ? null : cr.byTarget.get(target);
    }

    /** Median primary value of a case on a target, or null. */
    Double value(String caseId, String target) {
        List<Measurement> ms = runs(caseId, target);
        if (ms == null || ms.isEmpty()) {
            return null;
        }
        return median(ms.stream().mapToDouble(m -> m.value).toArray());
    }

    private Double extra(String caseId, String target, String name) {
        List<Measurement> ms = runs(caseId, target);
        if (ms == null || ms.isEmpty() || !ms.get(0).extra.containsKey(name)) {
            return null;
        }
        return median(ms.stream().mapToDouble(m -> m.extra.getOrDefault(name, Double.NaN)).toArray());
    }

    private LatencyHistogram latency(String caseId, String target) {
        List<Measurement> ms = runs(caseId, target);
        if (ms == null || ms.isEmpty() || ms.get(0).latency == null) {
            return null;
        }
        LatencyHistogram h = new LatencyHistogram();
        for (Measurement m : ms) {
            h.add(m.latency);
        }
        return h;
    }

    private boolean higherIsBetter(String caseId) {
        Runner.CaseResults cr = runner.cases.get(caseId);
        for (List<Measurement> ms : cr.byTarget.values()) {
            if (!ms.isEmpty()) {
                return ms.get(0).higherIsBetter;
            }
        }
        return true;
    }

    private String unit(String caseId) {
        for (List<Measurement> ms : runner.cases.get(caseId).byTarget.values()) {
            if (!ms.isEmpty()) {
                return ms.get(0).unit;
            }
        }
        return "";
    }

    /**
     * The median over repetitions of {@code a / b}, pairing the measurements of the same repetition (taken minutes
     * or seconds apart, so that drift of a noisy machine cancels out); null without a common repetition.
     */
    Double pairedRatio(List<Measurement> a, List<Measurement> b) {
        if (a == null || b == null) {
            return null;
        }
        List<Double> rs = new ArrayList<>();
        for (Measurement x : a) {
            for (Measurement y : b) {
                if (x.rep == y.rep && x.value != 0 && y.value != 0) {
                    rs.add(x.value / y.value);
                }
            }
        }
        return rs.isEmpty() ? null : median(rs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** How many times faster (or smaller) {@code target} is than the baseline on a case: above 1 is better. */
    Double speedRatio(String caseId, String target) {
        Double r = pairedRatio(runs(caseId, target), runs(caseId, baseline));
        if (r == null) {
            return null;
        }
        return higherIsBetter(caseId) ? r : 1 / r;
    }

    Double derived(Scenario.Derived d, String target) {
        Double r = pairedRatio(runs(d.numerator(), target), runs(d.denominator(), target));
        if (r == null) {
            return null;
        }
        return d.inverse() ? 1 / r : r;
    }

    // ---- text

    String markdown() {
        StringBuilder sb = new StringBuilder();
        List<String> names = targets.stream().map(Target::name).toList();
        sb.append("### Results (median of repetitions)\n\n| case | unit |");
        names.forEach(n -> sb.append(' ').append(n).append(" |"));
        sb.append("\n|---|---|");
        names.forEach(n -> sb.append("---:|"));
        sb.append('\n');
        for (String id : runner.cases.keySet()) {
            sb.append("| ").append(id).append(" | ").append(unit(id)).append(" |");
            for (String n : names) {
                Double v = value(id, n);
                Double e = extra(id, n, "eagain-rate");
                sb.append(' ').append(v == null ? "-" : num(v));
                if (e != null) {
                    sb.append(String.format(Locale.ROOT, " (EAGAIN %.0f%%)", e * 100));
                }
                sb.append(" |");
            }
            sb.append('\n');
        }
        if (baseline != null && names.size() > 1) {
            sb.append("\n### Speed relative to ").append(baseline)
                    .append(" (above 1: faster / smaller; median of the repetitions' ratios)\n\n| case |");
            List<String> others = names.stream().filter(n -> !n.equals(baseline)).toList();
            others.forEach(n -> sb.append(' ').append(n).append(" |"));
            sb.append("\n|---|");
            others.forEach(n -> sb.append("---:|"));
            sb.append('\n');
            for (String id : runner.cases.keySet()) {
                sb.append("| ").append(id).append(" |");
                for (String n : others) {
                    sb.append(' ').append(ratio(speedRatio(id, n))).append(" |");
                }
                sb.append('\n');
            }
        }
        List<Scenario.Derived> ds = new ArrayList<>();
        for (Runner.CaseResults cr : runner.cases.values()) {
            for (Scenario.Derived d : cr.scenario.derived()) {
                if (d.numerator().equals(cr.caseId)) {
                    ds.add(d);
                }
            }
        }
        if (!ds.isEmpty()) {
            sb.append("\n### Scaling within each daemon (median of the repetitions' ratios)\n\n| ratio |");
            names.forEach(n -> sb.append(' ').append(n).append(" |"));
            sb.append("\n|---|");
            names.forEach(n -> sb.append("---:|"));
            sb.append('\n');
            for (Scenario.Derived d : ds) {
                sb.append("| ").append(d.name()).append(" |");
                for (String n : names) {
                    sb.append(' ').append(ratio(derived(d, n))).append(" |");
                }
                sb.append('\n');
            }
        }
        sb.append("\n### Latency (microseconds: p50 / p99 / p99.9)\n\n| case |");
        names.forEach(n -> sb.append(' ').append(n).append(" |"));
        sb.append("\n|---|");
        names.forEach(n -> sb.append("---:|"));
        sb.append('\n');
        for (String id : runner.cases.keySet()) {
            boolean any = false;
            StringBuilder row = new StringBuilder("| " + id + " |");
            for (String n : names) {
                LatencyHistogram h = latency(id, n);
                if (h == null || h.count() == 0) {
                    row.append(" - |");
                } else {
                    any = true;
                    row.append(' ').append(num(h.percentile(0.5) / 1e3)).append(" / ")
                            .append(num(h.percentile(0.99) / 1e3)).append(" / ")
                            .append(num(h.percentile(0.999) / 1e3)).append(" |");
                }
            }
            if (any) {
                sb.append(row).append('\n');
            }
        }
        if (!endMemory.isEmpty()) {
            sb.append("\n### Daemon memory at the end of the run (MiB)\n\n| daemon | RSS | peak RSS (VmHWM) |\n")
                    .append("|---|---:|---:|\n");
            endMemory.forEach((n, m) -> sb.append("| ").append(n).append(" | ").append(num(m[0] / 1024.0))
                    .append(" | ").append(num(m[1] / 1024.0)).append(" |\n"));
        }
        if (!runner.failures.isEmpty()) {
            sb.append("\n### Failures\n\n");
            runner.failures.forEach((s, m) -> m.forEach((t, e) ->
                    sb.append("- ").append(s).append(" on ").append(t).append(": ").append(e).append('\n')));
        }
        return sb.toString();
    }

    // ---- JSON

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A number as JSON: integral values as integers, NaN and infinities (no value) as null, like a missing
     * measurement.
     */
    private static void put(ObjectNode o, String key, Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            o.putNull(key);
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            o.put(key, (long) (double) v);
        } else {
            o.put(key, v);
        }
    }

    private static void add(ArrayNode a, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            a.addNull();
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            a.add((long) v);
        } else {
            a.add(v);
        }
    }

    String json() throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode m = root.putObject("meta");
        meta.forEach(m::put);
        root.put("baseline", baseline);
        ArrayNode ts = root.putArray("targets");
        for (Target t : targets) {
            ts.addObject().put("name", t.name()).put("socket", t.socket().toString()).put("pid", t.pid())
                    .put("basic", t.basic());
        }
        ArrayNode cases = root.putArray("cases");
        for (Runner.CaseResults cr : runner.cases.values()) {
            String id = cr.caseId;
            ObjectNode c = cases.addObject().put("id", id).put("scenario", cr.scenario.name())
                    .put("description", cr.scenario.description()).put("unit", unit(id))
                    .put("higherIsBetter", higherIsBetter(id));
            ObjectNode results = c.putObject("results");
            for (Target t : targets) {
                List<Measurement> ms = cr.byTarget.get(t.name());
                if (ms == null || ms.isEmpty()) {
                    continue;
                }
                ObjectNode r = results.putObject(t.name());
                put(r, "median", value(id, t.name()));
                ArrayNode runs = r.putArray("runs");
                ms.forEach(x -> add(runs, x.value));
                ArrayNode reps = r.putArray("reps");
                ms.forEach(x -> reps.add(x.rep + 1));
                Double speed = speedRatio(id, t.name());
                if (speed != null) {
                    put(r, "speedVsBaseline", speed);
                }
                LatencyHistogram h = latency(id, t.name());
                if (h != null && h.count() > 0) {
                    ObjectNode l = r.putObject("latencyMicros");
                    l.put("count", h.count());
                    put(l, "mean", h.meanNanos() / 1e3);
                    put(l, "p50", h.percentile(0.5) / 1e3);
                    put(l, "p99", h.percentile(0.99) / 1e3);
                    put(l, "p99.9", h.percentile(0.999) / 1e3);
                    put(l, "max", h.maxNanos() / 1e3);
                }
                if (!ms.get(0).extra.isEmpty()) {
                    ObjectNode e = r.putObject("extra");
                    for (String k : ms.get(0).extra.keySet()) {
                        put(e, k, extra(id, t.name(), k));
                    }
                }
            }
        }
        ArrayNode derived = root.putArray("derived");
        for (Runner.CaseResults cr : runner.cases.values()) {
            for (Scenario.Derived d : cr.scenario.derived()) {
                if (!d.numerator().equals(cr.caseId)) {
                    continue;
                }
                ObjectNode values = derived.addObject().put("name", d.name()).putObject("values");
                for (Target t : targets) {
                    Double v = derived(d, t.name());
                    if (v != null) {
                        put(values, t.name(), v);
                    }
                }
            }
        }
        ObjectNode mem = root.putObject("endMemoryKiB");
        endMemory.forEach((n, kib) -> mem.putObject(n).put("rss", kib[0]).put("hwm", kib[1]));
        ObjectNode failures = root.putObject("failures");
        runner.failures.forEach((s, byTarget) -> {
            ObjectNode f = failures.putObject(s);
            byTarget.forEach(f::put);
        });
        return JSON.writeValueAsString(root) + "\n";
    }

    static Map<String, String> meta(String command) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("date", java.time.ZonedDateTime.now().withNano(0).toString());
        m.put("host", System.getenv().getOrDefault("HOSTNAME", ""));
        m.put("java", System.getProperty("java.vm.version"));
        m.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        return m;
    }
}
