package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jxenstored.it.ExternalTools.Result;
import org.jxenstored.testing.TestDaemon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Xen's own client test program, {@code test-xenstore} (Debian package xen-utils-4.17), against a fresh jxenstored.
 * It prints one timing line per test ({@code "read 1    : ... ns"}) or {@code "<test>: failed (ret = N, stage S)"},
 * and exits non-zero when a test failed; random mode ({@code -r SECS}) prints only failures.
 */
class TestXenstoreIT {
    /** The 12 tests of test-xenstore 4.17 ({@code test-xenstore -l}). */
    private static final List<String> TESTS = List.of("read 1", "read 2000", "write 1", "write 2000", "dir",
            "rm node", "rm dir", "ta empty", "ta empty x", "ta rmw", "ta rmw x", "ta err");

    @BeforeEach
    void requireTool() {
        ExternalTools.requireExecutable(ExternalTools.TEST_XENSTORE, "xen-utils-4.17");
    }

    private static Result testXenstore(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ExternalTools.TEST_XENSTORE.toString());
        cmd.addAll(List.of(args));
        try (TestDaemon d = TestDaemon.start()) {
            return ExternalTools.run(d.socketPath(), Duration.ofSeconds(40), cmd);
        }
    }

    private static void assertPassed(Result r) {
        assertThat(r.timedOut()).as("timed out:\n%s", r.describe()).isFalse();
        assertThat(r.out() + r.err()).as("failure lines:\n%s", r.describe()).doesNotContain("failed");
        assertThat(r.exitCode()).as("exit code:\n%s", r.describe()).isZero();
    }

    /** Every test once; each must report a timing line. */
    @Test
    void allTestsPass() throws Exception {
        Result r = testXenstore();
        assertPassed(r);
        for (String test : TESTS) {
            assertThat(r.out()).as("timing line of test '%s':\n%s", test, r.describe())
                    .containsPattern("(?m)^" + java.util.regex.Pattern.quote(String.format("%-10s: ", test))
                            + "\\d+ ns$");
        }
        assertThat(r.err()).as(r.describe()).isEmpty();
    }

    /** Every test 20 times. */
    @Test
    void allTestsPassWith20Iterations() throws Exception {
        Result r = testXenstore("-i", "20");
        assertPassed(r);
        for (String test : TESTS) {
            assertThat(r.out()).as("summary line of test '%s':\n%s", test, r.describe())
                    .containsPattern("(?m)^" + java.util.regex.Pattern.quote(String.format("%-10s: ", test))
                            + "avg: \\d+ ns \\(\\d+ ns \\.\\. \\d+ ns\\)$");
        }
        assertThat(r.err()).as(r.describe()).isEmpty();
    }

    /** Random tests for 10 seconds: silent on success. */
    @Test
    void randomTestsFor10SecondsPass() throws Exception {
        Result r = testXenstore("-r", "10");
        assertPassed(r);
        assertThat(r.out()).as(r.describe()).isEmpty();
        assertThat(r.err()).as(r.describe()).isEmpty();
    }
}
