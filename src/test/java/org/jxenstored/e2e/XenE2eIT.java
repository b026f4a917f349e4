package org.jxenstored.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end test under real Xen ({@code scripts/xen-e2e}, docs/e2e.md) as part of {@code mvn verify}, on the
 * jar just packaged. It boots Xen under QEMU and takes minutes, so it runs only when {@code JXS_E2E=1} is set;
 * otherwise it is skipped. {@code JXS_E2E_ARGS} adds options (for example {@code --trace} or
 * {@code --guests pv}). The script's output is copied, line by line, to this test's standard output.
 */
class XenE2eIT {
    static final String ENABLE_ENV = "JXS_E2E";

    @Test
    void guestsBootAndTalkThroughJxenstoredUnderXen() throws Exception {
        Assumptions.assumeTrue("1".equals(System.getenv(ENABLE_ENV)),
                "skipped: the Xen end-to-end test runs only with " + ENABLE_ENV + "=1 (see docs/e2e.md)");
        Path root = Path.of("").toAbsolutePath();
        Path script = root.resolve("scripts/xen-e2e");
        Path jar = root.resolve("target/jxenstored.jar");
        assertThat(script).isExecutable();
        assertThat(jar).as("the packaged jar (mvn verify packages it before the integration tests)").exists();

        List<String> command = new ArrayList<>(List.of(script.toString(), "--no-build"));
        String extra = System.getenv("JXS_E2E_ARGS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectInput(new File("/dev/null"));
        pb.environment().put("JXENSTORED_JAR", jar.toString());
        long timeout = Long.parseLong(System.getenv().getOrDefault("JXS_E2E_TIMEOUT", "1200")) + 300;
        Process p = pb.start();
        // Line by line to this test's output (the test report keeps it), as the stages finish.
        Thread copier = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println(line);
                }
            } catch (IOException e) {
                System.out.println("(reading the output of scripts/xen-e2e failed: " + e + ")");
            }
        }, "xen-e2e-output");
        copier.setDaemon(true);
        copier.start();
        if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        copier.join(10_000);
        assertThat(p.isAlive()).as("scripts/xen-e2e still running after %d s", timeout).isFalse();
        assertThat(p.exitValue()).as("scripts/xen-e2e exit status (its output above names the failed stage and "
                + "the run directory kept)").isZero();
    }
}
