package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.it.OperationsInstall.Result;
import org.junit.jupiter.api.Test;

/**
 * Xen's real launch-xenstore (package xen-utils-common, unmodified) starting jxenstored: XENSTORED and
 * XENSTORED_ARGS come from /etc/default/xencommons, as on a Xen host. It runs in a private mount namespace (see
 * src/test/resources/ops/run-launch-xenstore.sh) so that the host's /etc/default and /run are not touched.
 */
class OperationsLaunchXenstoreIT {
    static final Path LAUNCH_XENSTORE = Path.of("/etc/xen/scripts/launch-xenstore");

    @Test
    void launchXenstoreStartsJxenstoredAndReturns() throws Exception {
        ExternalTools.requireExecutable(LAUNCH_XENSTORE, "xen-utils-common");
        ExternalTools.requireExecutable(Path.of("/usr/bin/unshare"), "util-linux");
        ExternalTools.requireExecutable(Path.of("/usr/bin/prlimit"), "util-linux");
        Path dir = OperationsInstall.tempDir();
        long pid = -1;
        try {
            Path conf = OperationsInstall.config(dir);
            Result r = OperationsInstall.exec(List.of(Path.of("src/test/resources/ops/run-launch-xenstore.sh")
                            .toAbsolutePath().toString(), OperationsInstall.launcher().toString(),
                            "--config-file " + conf + " -W 64 -t 7"),
                    OperationsInstall.env(dir), Duration.ofSeconds(90));
            String out = r.out();
            assertThat(r.rc()).as("%s\n%s", out, r.err()).isZero();
            assertThat(out).as(r.err()).contains("Starting " + OperationsInstall.launcher())
                    .contains("launch-xenstore rc=0").containsPattern("pid=\\d+");
            pid = Long.parseLong(out.replaceAll("(?s).*pid=(\\d+).*", "$1"));
            assertThat(ProcessHandle.of(pid)).as("the daemon launch-xenstore waited for").isPresent();
            try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
                assertThat(c.write("/local/domain/0/name", "Domain-0").isError()).isFalse();
                String quota = c.control("quota").value();
                assertThat(quota).as("XENSTORED_ARGS reached the daemon").contains("watches          :       64")
                        .contains("transactions     :        7");
            }
            OperationsInstall.kill("TERM", pid);
            OperationsInstall.awaitExit(pid, Duration.ofSeconds(20));
            assertThat(dir.resolve("socket")).doesNotExist();
            assertThat(Files.readString(dir.resolve("daemon.log")).strip()).endsWith("stopped");
        } finally {
            if (pid > 0) {
                OperationsInstall.destroy(pid);
            }
            OperationsInstall.deleteTree(dir);
        }
    }
}
