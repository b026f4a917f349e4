package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jxenstored.daemon.DatagramReceiver;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.it.OperationsInstall.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The installed launcher (/usr/sbin/jxenstored of scripts/install, under target/ops-root) as Xen's scripts run it:
 * detaching and returning only once ready, the foreground mode, C xenstored's options, errors, signals and the
 * systemd notification.
 */
class OperationsLauncherIT {
    private static final Duration START = Duration.ofSeconds(60);
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
        OperationsInstall.deleteTree(dir);
    }

    private Result launch(Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(OperationsInstall.launcher().toString());
        cmd.addAll(List.of(args));
        Map<String, String> env = new java.util.HashMap<>(OperationsInstall.env(dir));
        env.putAll(extraEnv);
        Result r = OperationsInstall.exec(cmd, env, START);
        Path pidFile = dir.resolve("xenstored.pid");
        if (Files.exists(pidFile)) {
            started.add(OperationsInstall.readPid(pidFile));
        }
        return r;
    }

    @Test
    void detachesReturnsOnlyWhenReadyAndStopsCleanlyOnSigterm() throws Exception {
        Path conf = OperationsInstall.config(dir);
        Path pidFile = dir.resolve("xenstored.pid");
        Result r = launch(Map.of(), "--pid-file", pidFile.toString(), "--config-file", conf.toString());
        assertThat(r.rc()).as("launcher: %s", r.err()).isZero();
        System.out.println("OperationsLauncherIT: launcher returned, daemon ready, after " + r.millis() + " ms");
        // ready means: the pid file is there, and the socket answers at once
        long pid = OperationsInstall.readPid(pidFile);
        assertThat(ProcessHandle.of(pid)).as("daemon process").isPresent();
        assertThat(ProcessHandle.of(pid).get().info().command().orElse("")).contains("java");
        try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
            assertThat(c.write("/tool/hello", "world").isError()).isFalse();
            assertThat(c.read("/tool/hello").value()).isEqualTo("world");
        }
        OperationsInstall.kill("TERM", pid);
        OperationsInstall.awaitExit(pid, Duration.ofSeconds(20));
        assertThat(dir.resolve("socket")).as("socket file removed").doesNotExist();
        assertThat(pidFile).as("pid file removed").doesNotExist();
        String log = Files.readString(dir.resolve("daemon.log"));
        assertThat(log).contains("jxenstored ready").contains("stopping");
        assertThat(log.strip()).as("log flushed to the end").endsWith("stopped");
    }

    /**
     * The threads of a started daemon (docs/performance.md, "Issue 17"): the daemon owns two, its main thread and
     * the store thread (the JMX registration's thread ends once it is done); the JVM's own, with the launcher's
     * flags, are at most 13 (Java 17: no notification thread, one C1 and one C2 compiler thread).
     */
    @Test
    void aStartedDaemonRunsFewThreads() throws Exception {
        Path pidFile = dir.resolve("xenstored.pid");
        Result r = launch(Map.of(), "--pid-file", pidFile.toString(), "--config-file",
                OperationsInstall.config(dir).toString());
        assertThat(r.rc()).as("launcher: %s", r.err()).isZero();
        long pid = OperationsInstall.readPid(pidFile);
        List<String> threads = List.of();
        for (int i = 0; i < 100; i++) {
            threads = new ArrayList<>();
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    threads.add(Files.readString(t.resolve("comm")).strip());
                }
            }
            if (!threads.contains("jxenstored-jmx")) {
                break;
            }
            Thread.sleep(100);
        }
        List<String> jvm = List.of("java", "VM Thread", "Reference Handl", "Finalizer", "Signal Dispatch",
                "Service Thread", "Monitor Deflati", "C1 CompilerThre", "C2 CompilerThre", "Sweeper thread",
                "Native Heap Tri", "VM Periodic Tas", "Common-Cleaner", "Notification Th", "G1 Service");
        assertThat(threads.stream().filter(t -> !jvm.contains(t))).as("daemon threads of %s", threads)
                .containsExactlyInAnyOrder("jxenstored", "xenstored-store");
        assertThat(threads).as("all threads").hasSizeLessThanOrEqualTo(15);
        if (Runtime.version().feature() < 21) {
            assertThat(threads).doesNotContain("Notification Th");
        }
    }

    /**
     * The native libraries come from the directory scripts/build-cds wrote beside the jar while its stamp names
     * that jar; once the jar is another (here: its modification time), they are copied out of the jar as before.
     */
    @Test
    void nativeLibrariesComeFromBesideTheJarOnlyWhileTheyAreTheJars() throws Exception {
        Path natdir = OperationsInstall.root().resolve("usr/share/jxenstored/jxenstored.native");
        assertThat(natdir.resolve("jar-stamp")).as("written by scripts/install (build-cds)").isRegularFile();
        String netty = "libnetty_transport_native_epoll_";
        assertThat(mapsOfAStartedDaemon()).as("libraries mapped").anyMatch(
                l -> l.contains(natdir + "/" + netty));

        Path stamp = natdir.resolve("jar-stamp");
        String saved = Files.readString(stamp);
        try {
            Files.writeString(stamp, "1 1\n");
            assertThat(mapsOfAStartedDaemon()).as("libraries mapped")
                    .noneMatch(l -> l.contains(natdir.toString()))
                    .anyMatch(l -> l.contains(netty));
        } finally {
            Files.writeString(stamp, saved);
        }
    }

    private List<String> mapsOfAStartedDaemon() throws Exception {
        Path pidFile = dir.resolve("xenstored.pid");
        Result r = launch(Map.of(), "--pid-file", pidFile.toString(), "--config-file",
                OperationsInstall.config(dir).toString());
        assertThat(r.rc()).as("launcher: %s", r.err()).isZero();
        long pid = OperationsInstall.readPid(pidFile);
        List<String> maps = Files.readAllLines(Path.of("/proc/" + pid + "/maps"));
        OperationsInstall.kill("TERM", pid);
        OperationsInstall.awaitExit(pid, Duration.ofSeconds(20));
        return maps;
    }

    @Test
    void foregroundWithNoForkIsTheDaemonItselfAndSigintStopsIt() throws Exception {
        Path conf = OperationsInstall.config(dir);
        List<String> cmd = List.of(OperationsInstall.launcher().toString(), "-N", "--config-file", conf.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("fg.out").toFile());
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().putAll(OperationsInstall.env(dir));
        Process p = pb.start();
        started.add(p.pid());
        Path socket = dir.resolve("socket");
        long deadline = System.nanoTime() + START.toNanos();
        while (!Files.exists(socket) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(socket).as("socket of the foreground daemon").exists();
        // the launcher exec'd the JVM: the process we started is the daemon
        assertThat(p.info().command().orElse("")).contains("java");
        // The socket file appears at bind(), a moment before listen(): retry until the daemon accepts.
        XsTestClient client = null;
        while (client == null) {
            try {
                client = XsTestClient.connect(socket);
            } catch (java.io.UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
        try (XsTestClient c = client) {
            assertThat(c.control("print", "foreground").value()).isEqualTo("OK");
        }
        OperationsInstall.kill("INT", p.pid());
        OperationsInstall.awaitExit(p.pid(), Duration.ofSeconds(20));
        assertThat(socket).doesNotExist();
        assertThat(Files.readString(dir.resolve("daemon.log")).strip()).endsWith("stopped");
    }

    @Test
    void sighupReopensTheDaemonLogAndTheAccessLog() throws Exception {
        Path conf = OperationsInstall.config(dir);
        Path pidFile = dir.resolve("xenstored.pid");
        Path access = dir.resolve("access.log");
        Result r = launch(Map.of(), "--pid-file", pidFile.toString(), "--config-file", conf.toString(), "-T",
                access.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        long pid = OperationsInstall.readPid(pidFile);
        try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
            c.write("/before", "1");
            Files.move(access, dir.resolve("access.log.1"));
            Files.move(dir.resolve("daemon.log"), dir.resolve("daemon.log.1"));
            OperationsInstall.kill("HUP", pid);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!Files.exists(access) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            c.write("/after", "2");
        }
        assertThat(Files.readString(dir.resolve("access.log.1"))).contains("/before 1").doesNotContain("/after");
        AccessLogWait.until(access, "/after 2");
        AccessLogWait.until(dir.resolve("daemon.log"), "log files reopened");
        OperationsInstall.kill("TERM", pid);
        OperationsInstall.awaitExit(pid, Duration.ofSeconds(20));
    }

    @Test
    void unknownOptionsFailClearlyWithoutDetaching() throws Exception {
        Result r = launch(Map.of(), "--pid-file", dir.resolve("xenstored.pid").toString(), "--bogus");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--bogus'").contains("exited during start-up (status 2)");
        assertThat(dir.resolve("socket")).doesNotExist();
    }

    @Test
    void aLiveUpdateSuccessorRunsInTheForegroundAndWithoutStateDoesNotServe() throws Exception {
        Result r = launch(Map.of("XENSTORED_RUNDIR", dir.toString()), "-U", "--socket-only");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("live update: cannot take over the state in " + dir.resolve("state_dump"))
                .as("not detached: the launcher exec'd java").doesNotContain("exited during start-up");
        assertThat(dir.resolve("socket")).doesNotExist();
    }

    @Test
    void anInvalidConfigurationExits2NamingFileLineAndKey() throws Exception {
        Path conf = OperationsInstall.config(dir, "# comment", "quota-maxwatch = plenty");
        Result r = launch(Map.of(), "--config-file", conf.toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains(conf + ":3: quota-maxwatch: invalid value 'plenty'");
    }

    @Test
    void xenstoredArgsWithCsQuotaOptionsAreApplied() throws Exception {
        Path conf = OperationsInstall.config(dir, "quota-maxwatch = 7");
        Path pidFile = dir.resolve("xenstored.pid");
        Result r = launch(Map.of(), "--pid-file", pidFile.toString(), "--config-file", conf.toString(),
                "-E", "500", "-S", "1024", "-W", "64", "-t", "5", "-A", "4", "-M", "512", "-Q", "memory=1000000",
                "-Q", "outstanding=30", "-q", "memory=900000", "-w", "watch-event=10", "-K", "-V",
                "-T", dir.resolve("trace.log").toString());
        assertThat(r.rc()).as(r.err()).isZero();
        long pid = OperationsInstall.readPid(pidFile);
        try (XsTestClient c = XsTestClient.connect(dir.resolve("socket"))) {
            String q = c.control("quota").value();
            assertThat(q).contains("nodes            :      500").contains("watches          :       64")
                    .contains("transactions     :        5").contains("outstanding      :       30")
                    .contains("memory           :  1000000").contains("node-size        :     1024")
                    .contains("path-max         :      512").contains("node-permissions :        4");
            assertThat(c.control("quota-soft").value()).contains("memory           :   900000");
        }
        AccessLogWait.until(dir.resolve("trace.log"), "control           quota");
        AccessLogWait.until(dir.resolve("daemon.log"), "DEBUG");
        // -V: the daemon's own debug lines, not Netty's (dozens at start-up: "-Dio.netty.noUnsafe: false", ...)
        assertThat(Files.readString(dir.resolve("daemon.log"))).doesNotContain("io.netty")
                .doesNotContain("PlatformDependent");
        OperationsInstall.kill("TERM", pid);
        OperationsInstall.awaitExit(pid, Duration.ofSeconds(20));
    }

    @Test
    void notifiesSystemdReadyAndStopping() throws Exception {
        Path conf = OperationsInstall.config(dir);
        Path pidFile = dir.resolve("xenstored.pid");
        try (DatagramReceiver notify = new DatagramReceiver(dir.resolve("notify").toString())) {
            Result r = launch(Map.of("NOTIFY_SOCKET", notify.name()), "--pid-file", pidFile.toString(),
                    "--config-file", conf.toString());
            assertThat(r.rc()).as(r.err()).isZero();
            String ready = notify.receive(10_000);
            assertThat(ready).isEqualTo("READY=1\nSTATUS=Serving " + dir.resolve("socket") + "\n");
            long pid = OperationsInstall.readPid(pidFile);
            OperationsInstall.kill("TERM", pid);
            assertThat(notify.receive(10_000)).startsWith("STOPPING=1\n");
            OperationsInstall.awaitExit(pid, Duration.ofSeconds(20));
        }
    }

    @Test
    void aMissingOrTooOldJavaIsSaidClearly() throws Exception {
        String needs = "jxenstored needs Java 17 or later (Debian: apt-get install openjdk-17-jre-headless), or set "
                + "JAVA to one";
        Path none = dir.resolve("no/java");
        Result missing = launch(Map.of("JAVA", none.toString()), "--config-file", "/dev/null");
        assertThat(missing.rc()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("jxenstored: cannot find Java ('" + none + "'): jxenstored needs "
                + "a Java 17 or later runtime (Debian: apt-get install openjdk-17-jre-headless), or set JAVA to one");
        Result notOnPath = launch(Map.of("JAVA", "java-that-is-not-installed"), "-N");
        assertThat(notOnPath.rc()).isEqualTo(1);
        assertThat(notOnPath.err()).contains("cannot find Java ('java-that-is-not-installed')");

        // a JDK 11: its release file says so (the binary is not even run)
        Path jdk11 = dir.resolve("jdk-11/bin/java");
        Files.createDirectories(jdk11.getParent());
        Files.writeString(jdk11, "#!/bin/sh\nexit 99\n");
        jdk11.toFile().setExecutable(true);
        Files.writeString(dir.resolve("jdk-11/release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"11.0.22\"\n");
        Result old = launch(Map.of("JAVA", jdk11.toString()), "--config-file", "/dev/null");
        assertThat(old.rc()).isEqualTo(1);
        assertThat(old.err().strip()).isEqualTo("jxenstored: " + jdk11 + " is Java 11.0.22; " + needs);

        // a Java 8 without a release file: asked with -version
        Path java8 = dir.resolve("jre8/bin/java");
        Files.createDirectories(java8.getParent());
        Files.writeString(java8, "#!/bin/sh\n[ \"$1\" = -version ] || exit 99\n"
                + "echo 'openjdk version \"1.8.0_392\"' >&2\necho 'OpenJDK Runtime Environment' >&2\n");
        java8.toFile().setExecutable(true);
        Result older = launch(Map.of("JAVA", java8.toString()), "-N");
        assertThat(older.rc()).isEqualTo(1);
        assertThat(older.err().strip()).isEqualTo("jxenstored: " + java8 + " is Java 1.8.0_392; " + needs);
        assertThat(dir.resolve("socket")).doesNotExist();
    }

    @Test
    void helpListsTheOptions() throws Exception {
        Result r = launch(Map.of(), "--help");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("--pid-file").contains("--no-fork").contains("--trace-file")
                .contains("--config-file").contains("--quota");
    }

    /** Polls a log file for a text. */
    static final class AccessLogWait {
        static void until(Path file, String text) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
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
}
