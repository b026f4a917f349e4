package org.jxenstored.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * jxenstored as a real child process ({@code java -jar target/jxenstored.jar -N}), serving a private socket and,
 * with {@link #onSharedSim}, the guests of a {@link org.jxenstored.xen.sim.SharedSimHypervisor} in this JVM: what
 * crash-restart tests kill with SIGKILL and start again. Its output goes to a log file in the run directory, one per
 * start, so that a failing test can show what each daemon said.
 */
public final class DaemonProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target/jxenstored.jar").toAbsolutePath();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration EXIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path socket;
    private final Path log;

    private DaemonProcess(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /**
     * Starts a daemon on the socket {@code runDir/socket}, serving the shared simulator in {@code simDir}, and waits
     * until it is ready.
     *
     * @param extraArgs more options (quotas, {@code -V}, ...)
     */
    public static DaemonProcess onSharedSim(Path runDir, Path simDir, String... extraArgs) throws IOException,
            InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the integration tests run after `mvn package`");
        }
        Path config = runDir.resolve("jxenstored.conf");
        if (!Files.exists(config)) {
            Files.writeString(config, ""); // not /etc/jxenstored's
        }
        Path ready = runDir.resolve("ready");
        Files.deleteIfExists(ready);
        Path log = freshLog(runDir);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "-N", "--no-access-log", "--config-file", config.toString(), "--ready-file",
                ready.toString(), "--simulate-dir", simDir.toAbsolutePath().toString()));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().put("XENSTORED_RUNDIR", runDir.toString()); // state, and a live update's state_dump
        pb.environment().put("JXENSTORED_JAR", JAR.toString()); // for the launcher, when a live update execs it
        pb.environment().remove("JXENSTORED_CONF");
        Path socket = runDir.resolve("socket");
        pb.environment().put("XENSTORED_PATH", socket.toString());
        DaemonProcess d = new DaemonProcess(pb.start(), socket, log);
        d.awaitReady(ready);
        return d;
    }

    private static Path freshLog(Path runDir) {
        for (int i = 1;; i++) {
            Path p = runDir.resolve("daemon-" + i + ".log");
            if (!Files.exists(p)) {
                return p;
            }
        }
    }

    /** The ready file appears once the daemon serves (checked every 50 ms: start-up takes about half a second). */
    private void awaitReady(Path ready) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (!Files.exists(ready)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("jxenstored did not start: " + log());
            }
            Thread.sleep(50);
        }
    }

    public Path socketPath() {
        return socket;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the daemon wrote so far (its log goes to standard error). */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: the daemon gets no chance to clean up, as in a crash; waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: an orderly stop; waits until it is gone. */
    public void stop() throws InterruptedException {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() throws InterruptedException {
        if (!process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("jxenstored " + pid() + " did not exit within " + EXIT);
        }
    }

    /** Kills the daemon if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
