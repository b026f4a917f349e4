package org.jxenstored.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link Runner}'s measurements into Markdown tables (values, speed ratios against a baseline target,
 * latencies, ratios between cases on one target, and the targets for the subject) and into JSON.
 * Values are medians over repetitions; latency percentiles are over all repetitions' operations.
 */
final class Report {
    private final Runner runner;
    private final List<Target> targets;
    private final String baseline;
    private final String subject;
    private final Map<String, String> meta;
    /** VmRSS and VmHWM (KiB) of the targets with a pid, at the end of the run. */
    final Map<String, long[]> endMemory = new LinkedHashMap<>();

    Report(Runner runner, List<Target> targets, String baseline, String subject, Map<String, String> meta) {
        this.runner = runner;
        this.targets = targets;
        this.baseline = baseline;
        this.subject = subject;
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

    // ---- the targets

    record Check(String what, String measured, String required, Boolean met) {
    }

    List<Check> checks() {
        List<Check> out = new ArrayList<>();
        if (subject == null) {
            return out;
        }
        for (int c : new int[] {1, 2, 8}) {
            String id = "sync-mixed-c" + c;
            Double r = speedRatio(id, subject);
            if (r != null && !subject.equals(baseline)) {
                out.add(new Check(id + ": throughput vs " + baseline, ratio(r), ">= 1.00x", r >= 1.0));
            }
        }
        for (String id : runner.cases.keySet()) {
            // The latency target is for 1, 2 and 8 synchronous clients (64 threads on one CPU measure
            // the scheduler).
            if (id.startsWith("sync-") && (id.endsWith("-c1") || id.endsWith("-c2") || id.endsWith("-c8"))) {
                LatencyHistogram h = latency(id, subject);
                if (h != null && h.count() > 0) {
                    double q = h.percentile(0.99) / (double) h.percentile(0.5);
                    out.add(new Check(id + ": p99 / p50", ratio(q), "<= 2.00x", q <= 2.0));
                }
            }
        }
        for (Runner.CaseResults cr : runner.cases.values()) {
            for (Scenario.Derived d : cr.scenario.derived()) {
                if (!d.numerator().equals(cr.caseId)) {
                    continue;
                }
                Double v = derived(d, subject);
                if (v == null) {
                    continue;
                }
                if (d.numerator().startsWith("write-") && d.inverse()) {
                    out.add(new Check(d.name(), ratio(v), "<= 1.10x", v <= 1.1));
                } else if (d.numerator().startsWith("idle-5000")) {
                    out.add(new Check(d.name(), ratio(v), ">= 0.90x", v >= 0.9));
                } else if (d.numerator().equals("dir-create-50000") && d.denominator().equals("dir-create-1000")) {
                    out.add(new Check(d.name(), ratio(v), ">= 0.70x", v >= 0.7));
                }
            }
        }
        for (String id : runner.cases.keySet()) {
            if ((id.startsWith("dir-") || id.startsWith("tree-")) && !subject.equals(baseline)) {
                Double r = speedRatio(id, subject);
                if (r != null) {
                    out.add(new Check(id + ": vs " + baseline, ratio(r), "> 1.00x", r > 1.0));
                }
            }
        }
        Double small = value("rss-10k", subject);
        if (small != null) {
            out.add(new Check("rss-10k: RSS with 10 000 nodes and 100 domains' watches", num(small) + " MiB",
                    "<= 64 MiB", small <= 64));
        }
        Double large = value("rss-1m", subject);
        if (large != null) {
            out.add(new Check("rss-1m: RSS with 1 000 000 nodes", num(large) + " MiB", "<= 256 MiB", large <= 256));
        }
        return out;
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
        List<Check> checks = checks();
        if (!checks.isEmpty()) {
            sb.append("\n### Targets for ").append(subject).append("\n\n| target | measured | required | met |\n")
                    .append("|---|---:|---:|---|\n");
            for (Check c : checks) {
                sb.append("| ").append(c.what()).append(" | ").append(c.measured()).append(" | ")
                        .append(c.required()).append(" | ").append(c.met() ? "yes" : "**no**").append(" |\n");
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

    String json() {
        Json j = new Json();
        j.open('{');
        j.key("meta").open('{');
        meta.forEach((k, v) -> j.key(k).str(v));
        j.close('}');
        j.key("baseline").str(baseline).key("subject").str(subject);
        j.key("targets").open('[');
        for (Target t : targets) {
            j.open('{').key("name").str(t.name()).key("socket").str(t.socket().toString())
                    .key("pid").num(t.pid()).key("basic").bool(t.basic()).close('}');
        }
        j.close(']');
        j.key("cases").open('[');
        for (Runner.CaseResults cr : runner.cases.values()) {
            String id = cr.caseId;
            j.open('{').key("id").str(id).key("scenario").str(cr.scenario.name())
                    .key("description").str(cr.scenario.description()).key("unit").str(unit(id))
                    .key("higherIsBetter").bool(higherIsBetter(id));
            j.key("results").open('{');
            for (Target t : targets) {
                List<Measurement> ms = cr.byTarget.get(t.name());
                if (ms == null || ms.isEmpty()) {
                    continue;
                }
                j.key(t.name()).open('{').key("median").num(value(id, t.name()));
                j.key("runs").open('[');
                for (Measurement m : ms) {
                    j.num(m.value);
                }
                j.close(']');
                j.key("reps").open('[');
                for (Measurement m : ms) {
                    j.num(m.rep + 1);
                }
                j.close(']');
                Double r = speedRatio(id, t.name());
                if (r != null) {
                    j.key("speedVsBaseline").num(r);
                }
                LatencyHistogram h = latency(id, t.name());
                if (h != null && h.count() > 0) {
                    j.key("latencyMicros").open('{').key("count").num(h.count())
                            .key("mean").num(h.meanNanos() / 1e3)
                            .key("p50").num(h.percentile(0.5) / 1e3).key("p99").num(h.percentile(0.99) / 1e3)
                            .key("p99.9").num(h.percentile(0.999) / 1e3).key("max").num(h.maxNanos() / 1e3)
                            .close('}');
                }
                if (!ms.get(0).extra.isEmpty()) {
                    j.key("extra").open('{');
                    for (String k : ms.get(0).extra.keySet()) {
                        j.key(k).num(extra(id, t.name(), k));
                    }
                    j.close('}');
                }
                j.close('}');
            }
            j.close('}');
            j.close('}');
        }
        j.close(']');
        j.key("derived").open('[');
        for (Runner.CaseResults cr : runner.cases.values()) {
            for (Scenario.Derived d : cr.scenario.derived()) {
                if (!d.numerator().equals(cr.caseId)) {
                    continue;
                }
                j.open('{').key("name").str(d.name()).key("values").open('{');
                for (Target t : targets) {
                    Double v = derived(d, t.name());
                    if (v != null) {
                        j.key(t.name()).num(v);
                    }
                }
                j.close('}').close('}');
            }
        }
        j.close(']');
        j.key("checks").open('[');
        for (Check c : checks()) {
            j.open('{').key("target").str(c.what()).key("measured").str(c.measured()).key("required")
                    .str(c.required()).key("met").bool(c.met()).close('}');
        }
        j.close(']');
        j.key("endMemoryKiB").open('{');
        endMemory.forEach((n, m) -> j.key(n).open('{').key("rss").num(m[0]).key("hwm").num(m[1]).close('}'));
        j.close('}');
        j.key("failures").open('{');
        runner.failures.forEach((s, m) -> {
            j.key(s).open('{');
            m.forEach((t, e) -> j.key(t).str(e));
            j.close('}');
        });
        j.close('}');
        j.close('}');
        return j.toString() + "\n";
    }

    /** A minimal JSON writer (commas handled by nesting state). */
    static final class Json {
        private final StringBuilder sb = new StringBuilder();
        private final java.util.ArrayDeque<boolean[]> first = new java.util.ArrayDeque<>();
        private boolean afterKey;

        private void sep() {
            if (afterKey) {
                afterKey = false;
                return;
            }
            if (!first.isEmpty()) {
                boolean[] f = first.peek();
                if (!f[0]) {
                    sb.append(',');
                }
                f[0] = false;
            }
        }

        Json open(char c) {
            sep();
            sb.append(c);
            first.push(new boolean[] {true});
            return this;
        }

        Json close(char c) {
            first.pop();
            sb.append(c);
            return this;
        }

        Json key(String k) {
            sep();
            quote(k);
            sb.append(':');
            afterKey = true;
            return this;
        }

        Json str(String v) {
            sep();
            if (v == null) {
                sb.append("null");
            } else {
                quote(v);
            }
            return this;
        }

        Json num(Double v) {
            sep();
            if (v == null || v.isNaN() || v.isInfinite()) {
                sb.append("null");
            } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                sb.append((long) (double) v);
            } else {
                sb.append(String.format(Locale.ROOT, "%.6g", v));
            }
            return this;
        }

        Json num(long v) {
            sep();
            sb.append(v);
            return this;
        }

        Json bool(Boolean b) {
            sep();
            sb.append(b == null ? "null" : b.toString());
            return this;
        }

        private void quote(String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        }

        @Override
        public String toString() {
            return sb.toString();
        }
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
