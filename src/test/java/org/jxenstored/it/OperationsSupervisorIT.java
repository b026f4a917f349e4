package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jxenstored.it.OperationsInstall.Result;
import org.jxenstored.wire.XsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The installed launcher's supervisor of a detached daemon (docs/operations.md, "Crash restart"): a daemon killed
 * with SIGKILL is started again and serves its socket within seconds; SIGTERM (to the daemon or to the
 * supervisor) stops both for good; a configuration error at a restart, or a daemon that keeps dying, ends the
 * supervision with a line saying why.
 */
class OperationsSupervisorIT {
    private static final Duration START = Duration.ofSeconds(60);
    private Path dir;
    private Path pidFile;
    private Path conf;
    private final List<Long> started = new ArrayList<>();
    private final List<ProcessHandle> supervisors = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dir = OperationsInstall.tempDir();
        pidFile = dir.resolve("xenstored.pid");
        conf = OperationsInstall.config(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        // the supervisors first: a daemon killed below, or by a test, would otherwise be started again
        supervisors.forEach(ProcessHandle::destroyForcibly);
        for (long pid : started) {
            OperationsInstall.destroy(pid);
        }
        OperationsInstall.deleteTree(dir);
    }

    /** Starts a detached, supervised daemon (-P: the launcher prints its pid); returns the pid. */
    private long start() throws Exception {
        Map<String, String> env = new HashMap<>(OperationsInstall.env(dir));
        env.put("JXENSTORED_SUPERVISE", "1");
        Result r = OperationsInstall.exec(List.of(OperationsInstall.launcher().toString(), "-P", "--pid-file",
                pidFile.toString(), "--config-file", conf.toString()), env, START);
        assertThat(r.rc()).as("launcher: %s", r.err()).isZero();
        long pid = OperationsInstall.readPid(pidFile);
        started.add(pid);
        OperationsInstall.supervisorOf(pid).ifPresent(supervisors::add);
        assertThat(r.out().strip()).as("-P prints the daemon's pid, not the supervisor's").isEqualTo(Long.toString(pid));
        return pid;
    }

    private ProcessHandle supervisor(long pid) {
        return OperationsInstall.supervisorOf(pid).orElseThrow(() -> new AssertionError("no supervisor of " + pid));
    }

    /** Waits until the pid file names a process other than {@code old} that answers on the socket; its pid. */
    private long awaitRestart(long old, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                // empty while a new daemon has locked it and is not ready yet
                long pid = OperationsInstall.readPid(pidFile);
                if (pid != old) {
                    try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
                        if (!c.read("/").isError()) {
                            started.add(pid);
                            return pid;
                        }
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException | NumberFormatException e) {
                // not serving yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no new daemon serving within " + timeout + "; jxenstored.out:\n" + out());
    }

    private String out() throws Exception {
        Path out = dir.resolve("jxenstored.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    @Test
    void aDaemonKilledWithSigkillServesAgainWithinSecondsAndSigtermStopsItForGood() throws Exception {
        long first = start();
        ProcessHandle supervisor = supervisor(first);
        try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
            assertThat(c.write("/tool/before", "1").isError()).isFalse();
        }
        long t0 = System.nanoTime();
        OperationsInstall.kill("KILL", first);
        long second = awaitRestart(first, Duration.ofSeconds(20));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("OperationsSupervisorIT: SIGKILL to serving again in " + ms + " ms");
        assertThat(supervisor(second).pid()).as("the same supervisor").isEqualTo(supervisor.pid());
        assertThat(Files.readString(Path.of("/proc/" + second + "/comm")).strip()).isEqualTo("jxenstored");
        assertThat(out()).contains("the daemon (pid " + first + ") died (signal KILL); restarting it in 0 s")
                .contains("started the daemon again: pid " + second);

        // SIGTERM to the daemon, as `kill $(cat PIDFILE)` and init scripts send it: a clean stop of both
        OperationsInstall.kill("TERM", second);
        OperationsInstall.awaitExit(second, Duration.ofSeconds(20));
        OperationsInstall.awaitExit(supervisor.pid(), Duration.ofSeconds(10));
        assertThat(pidFile).doesNotExist();
        assertThat(dir.resolve("socket")).doesNotExist();
        Thread.sleep(1500);
        assertThat(pidFile).as("nothing started again").doesNotExist();
        assertThat(out()).doesNotContain("pid " + second + ") died");
    }

    @Test
    void sigtermToTheSupervisorStopsTheDaemonAndSighupReachesIt() throws Exception {
        long pid = start();
        ProcessHandle supervisor = supervisor(pid);
        OperationsInstall.kill("HUP", supervisor.pid());
        OperationsLauncherIT.AccessLogWait.until(dir.resolve("daemon.log"), "log files reopened");
        assertThat(supervisor.isAlive()).isTrue();
        OperationsInstall.kill("TERM", supervisor.pid());
        OperationsInstall.awaitExit(pid, Duration.ofSeconds(20));
        OperationsInstall.awaitExit(supervisor.pid(), Duration.ofSeconds(10));
        assertThat(Files.readString(dir.resolve("daemon.log")).strip()).endsWith("stopped");
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void aConfigurationErrorAtARestartIsNotRetried() throws Exception {
        long pid = start();
        ProcessHandle supervisor = supervisor(pid);
        Files.writeString(conf, "quota-maxwatch = plenty\n", java.nio.file.StandardOpenOption.APPEND);
        OperationsInstall.kill("KILL", pid);
        OperationsInstall.awaitExit(supervisor.pid(), Duration.ofSeconds(30));
        assertThat(out()).contains("quota-maxwatch: invalid value 'plenty'")
                .contains("exited with status 2, a usage or configuration error").contains("not restarting it");
    }

    @Test
    void aDaemonThatKeepsDyingIsGivenUpAfterFiveFailuresWithinAMinute() throws Exception {
        long pid = start();
        ProcessHandle supervisor = supervisor(pid);
        for (int failure = 1; failure <= 4; failure++) {
            OperationsInstall.kill("KILL", pid);
            pid = awaitRestart(pid, Duration.ofSeconds(30));
        }
        assertThat(out()).contains("restarting it in 0 s (1 of 5").contains("restarting it in 1 s (2 of 5")
                .contains("restarting it in 2 s (3 of 5").contains("restarting it in 4 s (4 of 5");
        OperationsInstall.kill("KILL", pid);
        OperationsInstall.awaitExit(supervisor.pid(), Duration.ofSeconds(10));
        assertThat(out()).contains("the daemon (pid " + pid + ") died (signal KILL), the 5th time within 60 s; not "
                + "restarting it again");
        assertThat(OperationsInstall.readPid(pidFile)).as("nothing started again").isEqualTo(pid);
    }
}
