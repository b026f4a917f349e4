package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jxenstored.daemon.DatagramReceiver;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.it.OperationsInstall.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The installed launcher run as an operator's host runs it, twice and in the faults an operator meets: a second
 * start next to a running daemon (Debian's init script after a xen-utils upgrade), a daemon killed with SIGKILL,
 * a read-only pid file directory, a full log disk; and what the operator sees of the process (its name, jcmd,
 * jstat) and of its logs (one time convention).
 */
class OperationsOwnershipIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Path RUN_WITH_MOUNT = Path.of("src/test/resources/ops/run-with-mount.sh").toAbsolutePath();
    private Path dir;
    private final List<Long> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dir = OperationsInstall.tempDir();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (long pid : started) {
            OperationsInstall.destroy(pid);
        }
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        }
        OperationsInstall.deleteTree(dir);
    }

    private Map<String, String> env(String... extra) throws Exception {
        Map<String, String> env = new HashMap<>(OperationsInstall.env(dir));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private Result run(Map<String, String> env, List<String> prefix, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(OperationsInstall.launcher().toString());
        cmd.addAll(List.of(args));
        return OperationsInstall.exec(cmd, env, START);
    }

    private Result launch(String... args) throws Exception {
        return run(env(), List.of(), args);
    }

    /** Starts a detached daemon with pid file {@code pidFile}; returns its pid. */
    private long startDaemon(Path pidFile, Map<String, String> env, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--pid-file", pidFile.toString(), "--config-file",
                OperationsInstall.config(dir).toString()));
        args.addAll(List.of(more));
        Result r = run(env, List.of(), args.toArray(new String[0]));
        assertThat(r.rc()).as("first start: %s", r.err()).isZero();
        long pid = OperationsInstall.readPid(pidFile);
        started.add(pid);
        return pid;
    }

    private Result xenstore(String tool, String... args) throws Exception {
        ExternalTools.requireXenstoreUtils();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/" + tool));
        cmd.addAll(List.of(args));
        return OperationsInstall.exec(cmd, Map.of("XENSTORED_PATH", dir.resolve("socket").toString()),
                Duration.ofSeconds(30));
    }

    private static void stop(long pid) throws Exception {
        OperationsInstall.kill("TERM", pid);
        OperationsInstall.awaitExit(pid, Duration.ofSeconds(30));
    }

    private static String noStackTrace(String err) {
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
        return err;
    }

    // ----------------------------------------------------------------------------------------- item 1: two starts

    @Test
    void aSecondStartIsRefusedAndTheRunningDaemonKeepsServing() throws Exception {
        Path pidFile = dir.resolve("xenstored.pid");
        long first = startDaemon(pidFile, env());
        assertThat(xenstore("xenstore-write", "/tool/hello", "world").rc()).isZero();
        String served = dir.resolve("socket") + " is served by process " + first + " (jxenstored) already; not "
                + "starting another";

        // detached, as launch-xenstore and Debian's init script run it, with another pid file
        // (status 0: a jxenstored serving the socket is what "start" asks for, so that Debian's init script, run
        // again by a xen-utils upgrade, does not fail the upgrade; the line still says who serves it)
        Path secondPid = dir.resolve("second.pid");
        Result second = launch("--pid-file", secondPid.toString(), "--config-file", dir.resolve("jxenstored.conf")
                .toString());
        assertThat(second.rc()).isZero();
        assertThat(noStackTrace(second.err())).contains("jxenstored: " + served);
        assertThat(secondPid).as("the refused daemon's pid file").doesNotExist();

        // in the foreground, as systemd runs it, with the same pid file
        Result fg = launch("-N", "--pid-file", pidFile.toString(), "--config-file",
                dir.resolve("jxenstored.conf").toString());
        assertThat(fg.rc()).isZero();
        assertThat(noStackTrace(fg.err()).strip()).isEqualTo("jxenstored: " + served + " (it keeps serving; stop "
                + "it first to replace it)");

        // on another socket but with the running daemon's pid file
        Result otherSocket = run(env("XENSTORED_PATH", dir.resolve("other").toString()), List.of(), "-N",
                "--pid-file", pidFile.toString(), "--config-file", dir.resolve("jxenstored.conf").toString());
        assertThat(otherSocket.rc()).isEqualTo(1);
        assertThat(noStackTrace(otherSocket.err()).strip()).isEqualTo("jxenstored: the pid file " + pidFile
                + " is locked by process " + first + " (jxenstored), a daemon that is running; not starting another");
        assertThat(dir.resolve("other")).doesNotExist();

        // the first daemon was not touched: same pid file, same socket, same data, same log
        assertThat(OperationsInstall.readPid(pidFile)).isEqualTo(first);
        Result read = xenstore("xenstore-read", "/tool/hello");
        assertThat(read.rc()).as(read.err()).isZero();
        assertThat(read.out().strip()).isEqualTo("world");
        assertThat(Files.readString(dir.resolve("daemon.log"))).doesNotContain("stopping").doesNotContain("ERROR");

        stop(first);
        assertThat(dir.resolve("socket")).doesNotExist();
        assertThat(pidFile).doesNotExist();
        assertThat(dir.resolve("socket.lock")).doesNotExist();
    }

    @Test
    void debiansInitScriptStartCommandRunTwiceLeavesTheFirstDaemonServing() throws Exception {
        // /etc/init.d/xen (xen-utils-common) starts the xenstored with exactly this command; it does not recognise
        // a running jxenstored (it looks for oxenstored or xenstored executables), so a second "start" runs it
        // again. (-n 0 rather than -1000: a container may not lower oom_score_adj.)
        Path ssd = Path.of("/sbin/start-stop-daemon");
        ExternalTools.requireExecutable(ssd, "dpkg");
        ExternalTools.requireExecutable(Path.of("/usr/bin/choom"), "util-linux");
        Path pidFile = dir.resolve("xenstore.pid");
        Path conf = OperationsInstall.config(dir);
        List<String> initScript = List.of(ssd.toString(), "--start", "--quiet", "--pidfile", pidFile.toString(),
                "--exec", "/usr/bin/choom", "--", "-n", "0", OperationsInstall.launcher().toString(), "--",
                "--config-file", conf.toString(), "--pid-file", pidFile.toString());
        Result first = OperationsInstall.exec(initScript, env(), START);
        assertThat(first.rc()).as(first.err()).isZero();
        long pid = OperationsInstall.readPid(pidFile);
        started.add(pid);
        assertThat(xenstore("xenstore-write", "/tool/x", "1").rc()).isZero();

        Result again = OperationsInstall.exec(initScript, env(), START);
        assertThat(again.rc()).as("already running: start succeeds, as LSB asks, and starts nothing").isZero();
        assertThat(again.err()).contains("is served by process " + pid + " (jxenstored) already");
        assertThat(OperationsInstall.readPid(pidFile)).isEqualTo(pid);
        Result read = xenstore("xenstore-read", "/tool/x");
        assertThat(read.out().strip()).isEqualTo("1");
        // what stops it on Debian (the init script never does): start-stop-daemon --name jxenstored
        Result ssdStop = OperationsInstall.exec(List.of(ssd.toString(), "--stop", "--quiet", "--pidfile",
                pidFile.toString(), "--name", "jxenstored", "--retry", "TERM/30"), Map.of(), START);
        assertThat(ssdStop.rc()).as(ssdStop.err()).isZero();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(dir.resolve("socket")).doesNotExist();
    }

    @Test
    void theSocketAndPidFileOfADaemonKilledWithSigkillDoNotBlockTheNextStart() throws Exception {
        Path pidFile = dir.resolve("xenstored.pid");
        // without the launcher's supervisor, which would start it again (OperationsSupervisorIT)
        long first = startDaemon(pidFile, env("JXENSTORED_SUPERVISE", "0"));
        assertThat(OperationsInstall.supervisorOf(first)).isEmpty();
        OperationsInstall.kill("KILL", first);
        OperationsInstall.awaitExit(first, Duration.ofSeconds(20));
        assertThat(dir.resolve("socket")).as("left behind").exists();
        assertThat(pidFile).as("left behind").exists();
        long second = startDaemon(pidFile, env());
        assertThat(second).isNotEqualTo(first);
        assertThat(xenstore("xenstore-write", "/tool/y", "2").rc()).isZero();
        assertThat(Files.readString(dir.resolve("daemon.log"))).contains("replacing " + dir.resolve("socket")
                + ": nobody answers on it");
        stop(second);
        assertThat(dir.resolve("socket")).doesNotExist();
        assertThat(pidFile).doesNotExist();
    }

    // ------------------------------------------------------------------------------------- item 2: process name

    @Test
    void theProcessIsNamedJxenstoredAndJcmdStillWorks() throws Exception {
        Path pidFile = dir.resolve("xenstored.pid");
        long pid = startDaemon(pidFile, env("JXENSTORED_JAVA_OPTS_EXTRA", "-XX:+UsePerfData"));
        assertThat(Files.readString(Path.of("/proc/" + pid + "/comm")).strip()).isEqualTo("jxenstored");
        Result pidof = OperationsInstall.exec(List.of("pidof", "jxenstored"), Map.of(), Duration.ofSeconds(20));
        assertThat(List.of(pidof.out().strip().split(" "))).contains(Long.toString(pid));
        Result ps = OperationsInstall.exec(List.of("ps", "-C", "jxenstored", "-o", "pid="), Map.of(),
                Duration.ofSeconds(20));
        assertThat(ps.out().lines().map(String::strip)).contains(Long.toString(pid));
        Result pgrep = OperationsInstall.exec(List.of("pgrep", "-x", "jxenstored"), Map.of(), Duration.ofSeconds(20));
        assertThat(pgrep.out().lines()).contains(Long.toString(pid));
        // /proc/PID/exe is still the JVM: the JDK's tools attach by pid as before
        assertThat(ProcessHandle.of(pid).get().info().command().orElse("")).endsWith("/java");
        ExternalTools.requireExecutable(Path.of("/usr/bin/jcmd"), "openjdk-17-jdk-headless");
        Result jcmd = OperationsInstall.exec(List.of("jcmd", Long.toString(pid), "Thread.print"), Map.of(),
                Duration.ofSeconds(60));
        assertThat(jcmd.rc()).as(jcmd.err()).isZero();
        assertThat(jcmd.out()).contains("\"xenstored-store-");
        // jstat reads the JVM's perf-data file: off by default (-XX:-UsePerfData), here switched on
        Result jstat = OperationsInstall.exec(List.of("jstat", "-gcutil", Long.toString(pid)), Map.of(),
                Duration.ofSeconds(60));
        assertThat(jstat.rc()).as(jstat.err()).isZero();
        assertThat(jstat.out()).contains("YGC");
        stop(pid);

        // the defaults: no perf-data file, so jstat cannot see the daemon (documented), jcmd can
        long other = startDaemon(pidFile, env());
        Result noJstat = OperationsInstall.exec(List.of("jstat", "-gcutil", Long.toString(other)), Map.of(),
                Duration.ofSeconds(60));
        assertThat(noJstat.rc()).isNotZero();
        Result heap = OperationsInstall.exec(List.of("jcmd", Long.toString(other), "GC.heap_info"), Map.of(),
                Duration.ofSeconds(60));
        assertThat(heap.rc()).as(heap.err()).isZero();
        assertThat(heap.out()).contains("def new generation");
        stop(other);
    }

    @Test
    void theForegroundDaemonIsNamedJxenstoredToo() throws Exception {
        Path conf = OperationsInstall.config(dir);
        ProcessBuilder pb = new ProcessBuilder(OperationsInstall.launcher().toString(), "-N", "--config-file",
                conf.toString()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("fg.out").toFile());
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().putAll(env());
        Process p = pb.start();
        started.add(p.pid());
        waitFor(dir.resolve("daemon.log"), " ready in ");
        assertThat(Files.readString(Path.of("/proc/" + p.pid() + "/comm")).strip()).isEqualTo("jxenstored");
        String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
        assertThat(cmdline).startsWith(OperationsInstall.launcher() + " -X");
        stop(p.pid());
    }

    // ------------------------------------------------------------------------------------------ item 6: faults

    @Test
    void aReadOnlyPidFileDirectoryIsOneClearLineAndStatus1() throws Exception {
        ExternalTools.requireExecutable(Path.of("/usr/bin/unshare"), "util-linux");
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        Path conf = OperationsInstall.config(dir);
        Path pidFile = ro.resolve("xenstored.pid");
        String expected = "jxenstored: cannot create the pid file " + pidFile + ": " + pidFile
                + ": Read-only file system";
        for (boolean foreground : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(List.of("--pid-file", pidFile.toString(), "--config-file",
                    conf.toString()));
            if (foreground) {
                args.add("-N");
            }
            Result r = run(env(), List.of(RUN_WITH_MOUNT.toString(), ro.toString(), "ro"), args.toArray(new String[0]));
            assertThat(r.rc()).as(r.err()).isEqualTo(1);
            assertThat(noStackTrace(r.err())).contains(expected);
            if (foreground) {
                assertThat(r.err().strip()).isEqualTo(expected);
            } else {
                assertThat(r.err().strip()).isEqualTo(expected + "\njxenstored: the daemon exited during start-up "
                        + "(status 1)");
            }
            assertThat(dir.resolve("socket")).doesNotExist();
            assertThat(dir.resolve("socket.lock")).doesNotExist();
        }
        // the socket's directory read-only: the same
        Result r = run(env("XENSTORED_PATH", ro.resolve("socket").toString()),
                List.of(RUN_WITH_MOUNT.toString(), ro.toString(), "ro"), "-N", "--config-file", conf.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(noStackTrace(r.err()).strip()).isEqualTo("jxenstored: cannot create the socket "
                + ro.resolve("socket") + " (its lock file): " + ro.resolve("socket.lock") + ": Read-only file system");
    }

    @Test
    void aFullLogDiskIsReportedOnceToSyslogAndRecoveredFrom() throws Exception {
        ExternalTools.requireExecutable(Path.of("/usr/bin/unshare"), "util-linux");
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Path log = logs.resolve("daemon.log");
        Path conf = dir.resolve("full.conf");
        Files.writeString(conf, "xenstored-log-file = " + log + "\n");
        Path pidFile = dir.resolve("xenstored.pid");
        try (DatagramReceiver syslog = new DatagramReceiver(dir.resolve("syslog").toString())) {
            Result r = run(env("JXENSTORED_JAVA_OPTS_EXTRA", "-Djxenstored.syslog=" + syslog.name()),
                    List.of(RUN_WITH_MOUNT.toString(), logs.toString(), "size=64k"), "--pid-file", pidFile.toString(),
                    "--config-file", conf.toString());
            assertThat(r.rc()).as(r.err()).isZero();
            long pid = OperationsInstall.readPid(pidFile);
            started.add(pid);
            // the daemon's tmpfs, seen from outside its mount namespace
            Path inside = Path.of("/proc/" + pid + "/root" + logs);
            assertThat(Files.readString(inside.resolve("daemon.log"))).contains(" ready in ");
            Path fill = inside.resolve("fill");
            try (var out = Files.newOutputStream(fill)) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException full) {
                assertThat(full.getMessage()).contains("No space left on device");
            }
            try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
                for (int i = 0; i < 50; i++) {
                    assertThat(c.control("print", "lost line " + i + " " + "x".repeat(200)).value()).isEqualTo("OK");
                }
                String first = syslog.receive(20_000);
                assertThat(first).matches("<27>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d jxenstored\\[" + pid + "]: "
                        + "cannot write " + log.toString().replace(".", "\\.") + ": No space left on device; .*");
                for (int i = 0; i < 50; i++) {
                    c.control("print", "still lost " + i + " " + "x".repeat(200));
                }
                assertThat(syslog.receive(1_000)).as("said once").isNull();
                assertThat(Files.readString(dir.resolve("jxenstored.out")).split("cannot write", -1)).hasSize(2);

                Files.delete(fill);
                String recovered = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (recovered == null && System.nanoTime() < deadline) {
                    c.control("print", "after the space came back");
                    recovered = syslog.receive(200);
                }
                assertThat(recovered).contains("jxenstored[" + pid + "]: " + log + " can be written again, after ")
                        .startsWith("<29>");
            }
            OperationsOwnershipIT.waitFor(inside.resolve("daemon.log"), "the lines of that time are lost");
            // (a line or two may still have fitted in the log's last, partly filled page)
            assertThat(Files.readString(inside.resolve("daemon.log"))).contains("after the space came back")
                    .containsPattern("WARN .*could not write " + log + " for \\d+ s \\(No space left on device\\)");
            stop(pid);
        }
    }

    // ----------------------------------------------------------------------------------------- item 7: logs

    @Test
    void bothLogsHaveLocalTimeWithItsOffset() throws Exception {
        Path pidFile = dir.resolve("xenstored.pid");
        Path access = dir.resolve("access.log");
        long pid = startDaemon(pidFile, env("TZ", "Asia/Kolkata"), "-T", access.toString());
        try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
            c.write("/tool/tz", "x");
        }
        waitFor(access, "/tool/tz x");
        stop(pid);
        String stamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+05:30";
        assertThat(Files.readAllLines(dir.resolve("daemon.log"))).isNotEmpty()
                .allMatch(l -> l.matches(stamp + " (INFO |WARN ) \\[.*"));
        assertThat(Files.readAllLines(access)).isNotEmpty().allMatch(l -> l.matches("\\[" + stamp + "] .*"));
        String startLine = Files.readAllLines(dir.resolve("daemon.log")).stream().filter(l -> l.contains(" ready in "))
                .findFirst().orElseThrow();
        assertThat(startLine).contains("jxenstored ready in ").contains("(version 0.1.0, platform socket only")
                .contains("config " + dir.resolve("jxenstored.conf")).contains("quotas nodes=1000 watches=128");
    }

    static void waitFor(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("'" + text + "' never appeared in " + file
                + (Files.exists(file) ? ":\n" + Files.readString(file) : " (missing)"));
    }
}
