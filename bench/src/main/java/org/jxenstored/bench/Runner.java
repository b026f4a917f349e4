package org.jxenstored.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs scenarios on several targets interleaved: for each scenario, set-up on every target, then each repetition
 * runs every target once (the order rotating from one repetition to the next, so drift and noise hit all alike),
 * then tear-down. A failure on one target is recorded and the others go on.
 */
final class Runner {
    /** All measurements of one case, per target, in repetition order. */
    static final class CaseResults {
        final String caseId;
        final Scenario scenario;
        final Map<String, List<Measurement>> byTarget = new LinkedHashMap<>();
        final Map<String, String> errors = new LinkedHashMap<>();

        CaseResults(String caseId, Scenario scenario) {
            this.caseId = caseId;
            this.scenario = scenario;
        }
    }

    final Map<String, CaseResults> cases = new LinkedHashMap<>();
    /** Scenario-level failures (set-up, run) per scenario name and target. */
    final Map<String, Map<String, String>> failures = new LinkedHashMap<>();
    private final BenchContext ctx;

    Runner(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run(List<Scenario> scenarios, List<Target> targets, int reps) {
        for (Scenario s : scenarios) {
            List<Target> ok = new ArrayList<>();
            for (Target t : targets) {
                if (t.basic() && !s.basicOk()) {
                    continue;
                }
                if (s.needsPid() && t.pid() <= 0) {
                    ctx.log.printf("%s: skipped on %s (no pid given)%n", s.name(), t);
                    continue;
                }
                ok.add(t);
            }
            if (ok.isEmpty()) {
                continue;
            }
            ctx.log.printf("== %s: %s%n", s.name(), s.description());
            List<Target> ready = new ArrayList<>();
            for (Target t : ok) {
                try {
                    s.setUp(ctx, t);
                    ready.add(t);
                } catch (Exception e) {
                    fail(s, t, "set-up: " + e);
                    tearDownQuietly(s, t);
                }
            }
            List<Target> alive = new ArrayList<>(ready);
            for (int rep = 0; rep < reps; rep++) {
                List<Target> order = new ArrayList<>(alive);
                if (!order.isEmpty()) {
                    java.util.Collections.rotate(order, -(rep % order.size()));
                }
                for (Target t : order) {
                    long t0 = System.nanoTime();
                    try {
                        List<Measurement> ms = s.run(ctx, t, rep);
                        StringBuilder line = new StringBuilder();
                        for (Measurement m : ms) {
                            m.rep = rep;
                            if (m.failure != null) {
                                fail(s, t, "rep " + (rep + 1) + ", " + m.caseId + ": " + m.failure);
                                continue;
                            }
                            cases.computeIfAbsent(m.caseId, id -> new CaseResults(id, s))
                                    .byTarget.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(m);
                            line.append(String.format("  %s=%s %s", m.caseId, Report.num(m.value), m.unit));
                        }
                        ctx.log.printf("  rep %d %-8s (%.1f s)%s%n", rep + 1, t, (System.nanoTime() - t0) / 1e9, line);
                    } catch (Exception e) {
                        fail(s, t, "rep " + (rep + 1) + ": " + e);
                        alive.remove(t);
                    }
                }
            }
            for (Target t : ready) {
                tearDownQuietly(s, t);
            }
        }
    }

    private void fail(Scenario s, Target t, String what) {
        ctx.log.printf("  FAILED %s on %s: %s%n", s.name(), t, what);
        failures.computeIfAbsent(s.name(), k -> new LinkedHashMap<>()).put(t.name(), what);
    }

    private void tearDownQuietly(Scenario s, Target t) {
        try {
            s.tearDown(ctx, t);
        } catch (Exception e) {
            ctx.log.printf("  (tear-down of %s on %s failed: %s)%n", s.name(), t, e);
        }
    }
}
