package org.jxenstored.bench;

import java.util.List;

/**
 * A benchmark scenario. The runner calls {@link #setUp} on every target, then {@link #run} on each target in turn
 * (interleaved, once per repetition, the order rotating), then {@link #tearDown}. One run may yield several
 * measurements (cases measured together, e.g. a write before and after registering watches, so that their ratio
 * comes from the same moment).
 */
interface Scenario {
    /** Name used to select the scenario on the command line. */
    String name();

    /** One line saying what is measured. */
    String description();

    /** Whether a basic READ/WRITE-only server (nullxs) can run it. */
    default boolean basicOk() {
        return false;
    }

    /** Whether it needs the target's pid. */
    default boolean needsPid() {
        return false;
    }

    default void setUp(BenchContext ctx, Target t) throws Exception {
    }

    List<Measurement> run(BenchContext ctx, Target t, int rep) throws Exception;

    default void tearDown(BenchContext ctx, Target t) throws Exception {
    }

    /** Ratios between this scenario's cases on one target, worth reporting (e.g. 100k watches / none). */
    default List<Derived> derived() {
        return List.of();
    }

    /**
     * A ratio {@code numerator / denominator} of two cases' primary values on the same target (for "cost" ratios,
     * where the values are rates, set {@code inverse}: cost = denominator rate / numerator rate).
     */
    record Derived(String name, String numerator, String denominator, boolean inverse) {
    }
}
