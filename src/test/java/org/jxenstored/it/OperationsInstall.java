package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * For the operations ITs: jxenstored installed by the real install step (scripts/install with DESTDIR) under
 * target/, and runs of its launcher with an environment that points it there and at private files.
 */
final class OperationsInstall {
    private static Path root;

    private OperationsInstall() {
    }

    /** Installs once per test JVM (with the class-data-sharing archive, as on a host). */
    static synchronized Path root() throws IOException, InterruptedException {
        if (root == null) {
            Path r = Path.of("target/ops-root").toAbsolutePath();
            deleteTree(r);
            Result res = exec(List.of("scripts/install", "--xenstored-dropin"), Map.of("DESTDIR", r.toString()),
                    Duration.ofMinutes(2));
            assertThat(res.rc).as("scripts/install: %s", res.err).isZero();
            assertThat(r.resolve("usr/sbin/jxenstored")).isExecutable();
            assertThat(r.resolve("usr/share/jxenstored/jxenstored.jar")).exists();
            assertThat(r.resolve("usr/share/jxenstored/jxenstored.jsa")).as(res.err).exists();
            assertThat(res.err).as("build-cds: native libraries written, training requests answered")
                    .doesNotContain("build-cds:");
            assertThat(r.resolve("etc/jxenstored/jxenstored.conf")).exists();
            assertThat(r.resolve("lib/systemd/system/jxenstored.service")).exists();
            assertThat(r.resolve("lib/systemd/system/xenstored.service.d/jxenstored.conf")).exists();
            root = r;
        }
        return root;
    }

    static Path launcher() throws IOException, InterruptedException {
        return root().resolve("usr/sbin/jxenstored");
    }

    /** The environment of a launcher run: installed jar and logback files, socket and output in {@code dir}. */
    static Map<String, String> env(Path dir) throws IOException, InterruptedException {
        Path r = root();
        return Map.of(
                "XENSTORED_PATH", dir.resolve("socket").toString(),
                "JXENSTORED_JAR", r.resolve("usr/share/jxenstored/jxenstored.jar").toString(),
                "JXENSTORED_CONF_DIR", r.resolve("etc/jxenstored").toString(),
                "JXENSTORED_OUT", dir.resolve("jxenstored.out").toString());
    }

    /** A configuration file in {@code dir} that keeps the daemon log there too. */
    static Path config(Path dir, String... extraLines) throws IOException {
        StringBuilder sb = new StringBuilder("xenstored-log-file = " + dir.resolve("daemon.log") + "\n");
        for (String l : extraLines) {
            sb.append(l).append('\n');
        }
        Path f = dir.resolve("jxenstored.conf");
        Files.writeString(f, sb.toString());
        return f;
    }

    record Result(int rc, String out, String err, long millis) {
    }

    /** Runs a command to completion (stdin /dev/null, no NOTIFY_SOCKET or XENSTORED_RUNDIR inherited). */
    static Result exec(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("jxs-ops", ".out");
        Path err = Files.createTempFile("jxs-ops", ".err");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().remove("XENSTORED_RUNDIR");
        pb.environment().remove("XENSTORED_PATH");
        pb.environment().remove("JXENSTORED_CONF");
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Result r = new Result(p.isAlive() ? -1 : p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), ms);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** Sends {@code signal} to {@code pid} with kill(1). */
    static void kill(String signal, long pid) throws IOException, InterruptedException {
        Result r = exec(List.of("kill", "-" + signal, Long.toString(pid)), Map.of(), Duration.ofSeconds(10));
        assertThat(r.rc).as("kill -%s %d: %s", signal, pid, r.err).isZero();
    }

    /** Waits for the process to end (SIGKILL after the timeout, then fails). */
    static void awaitExit(long pid, Duration timeout) throws InterruptedException {
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h == null) {
            return;
        }
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            h.destroyForcibly();
            throw new AssertionError("process " + pid + " did not exit within " + timeout);
        }
    }

    /**
     * The supervisor of a detached daemon (the launcher's shell loop that restarts it, its parent), if it has one.
     */
    static java.util.Optional<ProcessHandle> supervisorOf(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("jxenstored-supervisor"))
                        .orElse(false));
    }

    /**
     * Kills a daemon left running by a test: its supervisor first (else it would start the daemon again), then
     * the daemon.
     */
    static void destroy(long pid) {
        supervisorOf(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    static long readPid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }

    /** A short private directory (Unix socket paths are limited to 108 bytes). */
    static Path tempDir() throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), "jxsops");
    }
}
