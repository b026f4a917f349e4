package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jxenstored.wire.XsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jxenstored live-updates itself, driven by Debian 12's {@code xenstore-control live-update}: the launcher is the new
 * binary, the process (and its pid) stays, the socket clients keep their connections and watches, the store is the
 * same, a transaction open across the update fails its commit with EAGAIN, and it can be done again.
 */
class LiveUpdateIT {
    private static final Path LAUNCHER = Path.of("scripts/jxenstored").toAbsolutePath();
    private static final Path JAR = Path.of("target/jxenstored.jar").toAbsolutePath();
    private Path dir;
    private Process daemon;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTools.requireExecutable(OperationsXenstoreControlIT.XENSTORE_CONTROL, "xen-utils-4.17");
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxlu");
        Files.writeString(dir.resolve("jxenstored.conf"), "");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "-N", "--socket-only", "--no-access-log",
                "--config-file", dir.resolve("jxenstored.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment(pb);
        daemon = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers()) {
            assertThat(daemon.isAlive()).as("the daemon runs: %s", log()).isTrue();
            assertThat(System.nanoTime()).as("the daemon starts").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void environment(ProcessBuilder pb) {
        pb.environment().put("XENSTORED_PATH", dir.resolve("socket").toString());
        pb.environment().put("XENSTORED_RUNDIR", dir.toString());
        pb.environment().put("JXENSTORED_JAR", JAR.toString());
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().remove("JXENSTORED_CONF");
    }

    private boolean answers() {
        try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
            return c.read("/").value() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String log() throws Exception {
        return Files.readString(dir.resolve("daemon.log"));
    }

    /** Waits until the daemon's log has {@code line} {@code times} times. */
    private void awaitLog(String line, int times) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log().split(java.util.regex.Pattern.quote(line), -1).length - 1 < times
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(log().split(java.util.regex.Pattern.quote(line), -1).length - 1).as(log()).isEqualTo(times);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private ExternalTools.Result liveUpdate(String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(OperationsXenstoreControlIT.XENSTORE_CONTROL.toString(),
                "live-update"));
        cmd.addAll(List.of(options));
        cmd.add(LAUNCHER.toString());
        return ExternalTools.run(dir.resolve("socket"), Duration.ofSeconds(60), cmd);
    }

    @Test
    void updatesItselfKeepingPidStoreConnectionsAndWatches() throws Exception {
        long pid = daemon.pid();
        try (XsTestClient watcher = XsTestClient.connect(dir.resolve("socket"));
                XsTestClient txClient = XsTestClient.connect(dir.resolve("socket"))) {
            assertThat(watcher.write("/lu/a", "before").value()).isEqualTo("OK");
            assertThat(watcher.watch("/lu", "tok").value()).isEqualTo("OK");
            watcher.sync();
            assertThat(watcher.takeEvents()).as("the watch's first event").containsExactly("/lu|tok");
            int tx = txClient.startTransaction();
            assertThat(txClient.write(tx, "/lu/t", "in tx").value()).isEqualTo("OK");

            // -F: the open transaction does not hold the update back; it is doomed in the successor
            ExternalTools.Result r = liveUpdate("-F", "-t", "2");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(daemon.isAlive()).isTrue();
            assertThat(daemon.pid()).isEqualTo(pid);
            awaitLog("live-update: took over", 1); // logged just after the reply went out

            assertThat(watcher.read("/lu/a").value()).as("the same connection, the same store").isEqualTo("before");
            assertThat(watcher.write("/lu/b", "after").value()).isEqualTo("OK");
            watcher.sync();
            assertThat(watcher.takeEvents()).as("the watch survived").containsExactly("/lu/b|tok");
            XsTestClient.Msg commit = txClient.request(XsTestClient.TRANSACTION_END, tx, XsTestClient.nul("T"));
            assertThat(commit.type()).isEqualTo(XsTestClient.ERROR);
            assertThat(commit.value()).isEqualTo("EAGAIN");
            assertThat(txClient.read("/lu/t").type()).as("nothing of the transaction").isEqualTo(XsTestClient.ERROR);

            // and again, on the successor
            r = liveUpdate("-t", "5");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(daemon.pid()).isEqualTo(pid);
            awaitLog("live-update: took over", 2); // the second successor's
            assertThat(watcher.write("/lu/c", "twice").value()).isEqualTo("OK");
            watcher.sync();
            assertThat(watcher.takeEvents()).containsExactly("/lu/c|tok");
        }
        try (XsTestClient fresh = XsTestClient.connect(dir.resolve("socket"))) {
            assertThat(fresh.read("/lu/c").value()).as("new connections too").isEqualTo("twice");
        }
    }

    @Test
    void repliesNotYetSentAndARequestHalfReadCrossTheUpdate() throws Exception {
        String value = "v".repeat(3000);
        try (XsTestClient slow = XsTestClient.connect(dir.resolve("socket"));
                XsTestClient half = XsTestClient.connect(dir.resolve("socket"))) {
            assertThat(slow.write("/big", value).value()).isEqualTo("OK");
            // a client that does not read: its replies wait in the kernel, in Netty's buffer and in the server
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                ids.add(slow.send(XsTestClient.READ, 0, XsTestClient.nul("/big")));
            }
            // a client whose request is half read when the update comes
            byte[] request = XsTestClient.frame(XsTestClient.READ, 4242, 0, XsTestClient.nul("/big"));
            half.writeRaw(java.util.Arrays.copyOf(request, 10));
            Thread.sleep(500);

            ExternalTools.Result r = liveUpdate("-t", "5");
            assertThat(r.exitCode()).as(r.describe()).isZero();
            awaitLog("live-update: took over", 1);

            half.writeRaw(java.util.Arrays.copyOfRange(request, 10, request.length));
            XsTestClient.Msg reply = half.receive(Duration.ofSeconds(10));
            assertThat(reply.reqId()).isEqualTo(4242);
            assertThat(reply.value()).isEqualTo(value);
            for (int id : ids) {
                XsTestClient.Msg m = slow.receive(Duration.ofSeconds(10));
                assertThat(m.reqId()).as("replies in order, none lost").isEqualTo(id);
                assertThat(m.value()).isEqualTo(value);
            }
        }
    }

    @Test
    void aBinaryThatCannotBeExecutedLeavesTheDaemonInCharge() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("not-a-daemon"), "#!/bin/sh\n");
        List<String> cmd = List.of(OperationsXenstoreControlIT.XENSTORE_CONTROL.toString(), "live-update", "-t", "2",
                notExecutable.toString());
        ExternalTools.Result r = ExternalTools.run(dir.resolve("socket"), Duration.ofSeconds(30), cmd);
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.out() + r.err()).contains("File not executable.");
        try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
            assertThat(c.write("/still", "here").value()).isEqualTo("OK");
        }
    }
}
