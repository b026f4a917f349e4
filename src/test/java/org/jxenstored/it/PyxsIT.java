package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jxenstored.it.ExternalTools.Result;
import org.jxenstored.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pyxs (Debian package python3-pyxs) against a fresh jxenstored: runs {@code pyxs/pyxs_check.py} (read, write, mkdir,
 * rm, list, exists, permissions, domain path, watches, transactions incl. EAGAIN on conflict), which prints one line
 * per check and exits non-zero on any failure.
 */
class PyxsIT {
    @TempDir
    Path tmp;

    @Test
    void pyxsCheckScriptPasses() throws Exception {
        ExternalTools.requirePyxs();
        Path script = tmp.resolve("pyxs_check.py");
        try (InputStream in = PyxsIT.class.getResourceAsStream("/pyxs/pyxs_check.py")) {
            assertThat(in).as("test resource /pyxs/pyxs_check.py").isNotNull();
            Files.copy(in, script);
        }
        Result r;
        try (TestDaemon d = TestDaemon.start()) {
            r = ExternalTools.run(d.socketPath(), Duration.ofSeconds(60),
                    List.of(ExternalTools.PYTHON3.toString(), script.toString(), d.socketPath().toString()));
        }
        assertThat(r.timedOut()).as("pyxs_check.py timed out:\n%s", r.describe()).isFalse();
        assertThat(r.out()).as("pyxs_check.py output:\n%s", r.describe())
                .doesNotContain("FAIL")
                .contains("pyxs_check: PASS");
        assertThat(r.exitCode()).as("pyxs_check.py exit code:\n%s", r.describe()).isZero();
    }
}
