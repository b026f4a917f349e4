package org.jxenstored.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real xenstore clients (xenstore-utils, test-xenstore, pyxs) as separate processes against a daemon
 * socket. Tests skip when a tool is not installed, unless {@code JXS_REQUIRE_TOOLS=1} is set (as
 * {@code scripts/test} does), in which case a missing tool is a failure.
 */
final class ExternalTools {
    static final String REQUIRE_TOOLS_ENV = "JXS_REQUIRE_TOOLS";
    static final Path XENSTORE_UTILS_DIR = Path.of("/usr/bin");
    static final Path TEST_XENSTORE = Path.of("/usr/lib/xen-4.17/bin/test-xenstore");
    static final Path PYTHON3 = Path.of("/usr/bin/python3");

    private ExternalTools() {
    }

    static boolean toolsRequired() {
        return "1".equals(System.getenv(REQUIRE_TOOLS_ENV));
    }

    /** Skips the test (or fails it, with {@code JXS_REQUIRE_TOOLS=1}) unless {@code tool} is an executable. */
    static void requireExecutable(Path tool, String debianPackage) {
        requireTool(Files.isExecutable(tool), tool + " is not installed (Debian package " + debianPackage + ")");
    }

    /** Skips the test (or fails it, with {@code JXS_REQUIRE_TOOLS=1}) unless {@code available}. */
    static void requireTool(boolean available, String whatIsMissing) {
        if (available) {
            return;
        }
        if (toolsRequired()) {
            fail(whatIsMissing + ", and " + REQUIRE_TOOLS_ENV + "=1 forbids skipping");
        }
        Assumptions.assumeTrue(false, "skipped: " + whatIsMissing);
    }

    /** The xenstore-utils tools this suite uses. */
    static void requireXenstoreUtils() {
        for (String tool : List.of("xenstore-read", "xenstore-write", "xenstore-ls", "xenstore-list", "xenstore-rm",
                "xenstore-chmod", "xenstore-exists", "xenstore-watch")) {
            requireExecutable(XENSTORE_UTILS_DIR.resolve(tool), "xenstore-utils");
        }
    }

    /** /usr/bin/python3 with the pyxs module (Debian package python3-pyxs). */
    static void requirePyxs() {
        requireExecutable(PYTHON3, "python3");
        boolean importable;
        try {
            Process p = new ProcessBuilder(PYTHON3.toString(), "-c", "import pyxs")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            importable = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            importable = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        requireTool(importable, "the Python module pyxs is not importable by " + PYTHON3
                + " (Debian package python3-pyxs)");
    }

    /** What a finished (or timed out) process left. */
    record Result(List<String> command, int exitCode, boolean timedOut, byte[] stdout, byte[] stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String err() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        /** For assertion messages. */
        String describe() {
            return "$ " + String.join(" ", command) + "\n"
                    + (timedOut ? "TIMED OUT (killed)" : "exit " + exitCode) + "\n"
                    + "--- stdout\n" + out() + "\n--- stderr\n" + err();
        }
    }

    /** A started process whose stdout and stderr go to files (so that nothing blocks on a full pipe). */
    static final class Running {
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;

        private Running(List<String> command, Process process, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** The bytes written to stdout so far. */
        byte[] stdoutSoFar() throws IOException {
            return Files.readAllBytes(out);
        }

        /** Waits until stdout holds at least {@code lines} complete lines; false on timeout or early exit. */
        boolean awaitStdoutLines(int lines, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                int n = 0;
                for (byte b : stdoutSoFar()) {
                    if (b == '\n') {
                        n++;
                    }
                }
                if (n >= lines) {
                    return true;
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(10);
            }
        }

        /** Waits for the process to exit, killing it after {@code timeout}. */
        Result await(Duration timeout) throws IOException, InterruptedException {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            Result r = new Result(command, exited ? process.exitValue() : -1, !exited,
                    Files.readAllBytes(out), Files.readAllBytes(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        }
    }

    /** Starts {@code command} with {@code XENSTORED_PATH=socket}, stdin from /dev/null. */
    static Running start(Path socket, List<String> command) throws IOException {
        Path out = Files.createTempFile("jxs-it", ".out");
        Path err = Files.createTempFile("jxs-it", ".err");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // Only the socket chooses the daemon; nothing else from the caller's environment should matter.
        pb.environment().remove("XENSTORED_RUNDIR");
        pb.environment().put("XENSTORED_PATH", socket.toString());
        pb.environment().put("LC_ALL", "C");
        return new Running(List.copyOf(command), pb.start(), out, err);
    }

    /** Runs {@code command} to completion (killed after {@code timeout}). */
    static Result run(Path socket, Duration timeout, List<String> command) throws IOException, InterruptedException {
        return start(socket, command).await(timeout);
    }
}
