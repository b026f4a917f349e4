package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.jxenstored.it.ExternalTools.Result;
import org.jxenstored.it.ExternalTools.Running;
import org.jxenstored.testing.TestDaemon;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The xenstore-utils command line tools against a fresh jxenstored: one fixed sequence of commands whose stdout,
 * stderr and exit codes must equal, byte for byte, what the same sequence gave against a fresh C xenstored (Xen
 * 4.17, Debian 12). The C results are the golden transcript {@code src/test/resources/golden/cli-tools.txt}.
 *
 * <p>Recording: with {@code JXS_GOLDEN_RECORD_SOCKET=<socket of a fresh C xenstored>} and
 * {@code JXS_GOLDEN_RECORD_OUT=<file>} this test runs the sequence against that socket, writes the transcript to the
 * file and is then reported as skipped; {@code src/test/resources/golden/record.sh} does exactly that.
 *
 * <p>The actual transcript of the last run is left in {@code target/cli-tools.actual.txt} for diffing.
 */
class CliToolsIT {
    static final String RECORD_SOCKET_ENV = "JXS_GOLDEN_RECORD_SOCKET";
    static final String RECORD_OUT_ENV = "JXS_GOLDEN_RECORD_OUT";
    static final String GOLDEN_RESOURCE = "/golden/cli-tools.txt";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern STEP_HEADER = Pattern.compile("(?m)^=== ");
    private static final int BIG_DIR_ENTRIES = 2000;

    @Test
    void cliToolsBehaveExactlyLikeCXenstored() throws Exception {
        ExternalTools.requireXenstoreUtils();

        String recordSocket = System.getenv(RECORD_SOCKET_ENV);
        if (recordSocket != null && !recordSocket.isEmpty()) {
            String out = System.getenv(RECORD_OUT_ENV);
            assertThat(out).as(RECORD_OUT_ENV + " (where to write the transcript)").isNotBlank();
            String transcript = new Sequence(Path.of(recordSocket)).run();
            Files.writeString(Path.of(out), transcript, StandardCharsets.UTF_8);
            Assumptions.abort("recorded the golden transcript from " + recordSocket + " into " + out);
        }

        String actual;
        try (TestDaemon d = TestDaemon.start()) {
            actual = new Sequence(d.socketPath()).run();
        }
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("cli-tools.actual.txt"), actual, StandardCharsets.UTF_8);
        }

        String golden;
        try (InputStream in = CliToolsIT.class.getResourceAsStream(GOLDEN_RESOURCE)) {
            assertThat(in).as("golden transcript " + GOLDEN_RESOURCE).isNotNull();
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> expectedSteps = steps(golden);
        Map<String, String> actualSteps = steps(actual);
        assertThat(actualSteps.keySet()).as("steps of the sequence (re-record the golden file after changing them)")
                .containsExactlyElementsOf(expectedSteps.keySet());
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, String> e : expectedSteps.entrySet()) {
            soft.assertThat(actualSteps.get(e.getKey()))
                    .as("step %s (expected: C xenstored, actual: jxenstored)", e.getKey())
                    .isEqualTo(e.getValue());
        }
        soft.assertAll();
    }

    /** Splits a transcript into its steps, keyed by their header line. */
    private static Map<String, String> steps(String transcript) {
        Map<String, String> steps = new LinkedHashMap<>();
        for (String chunk : STEP_HEADER.split(transcript)) {
            if (chunk.isEmpty()) {
                continue;
            }
            int nl = chunk.indexOf('\n');
            String header = nl < 0 ? chunk : chunk.substring(0, nl);
            steps.put(header, "=== " + chunk);
        }
        return steps;
    }

    /** The command sequence; each step appends its command, exit code, stdout and stderr to the transcript. */
    private static final class Sequence {
        private final Path socket;
        private final StringBuilder transcript = new StringBuilder();
        private int step;
        /** Once a command timed out, the rest are not run (a hung daemon must not take ages). */
        private boolean timedOut;

        Sequence(Path socket) {
            this.socket = socket;
        }

        String run() throws IOException, InterruptedException {
            // the initial tree
            cmd("initial-tree", "xenstore-ls", "-fp", "/");

            // writes (several keys, nested, empty value) and reads
            cmd("write-several", "xenstore-write", "/a", "1", "/b/c", "hello world", "/b/d/e", "deep", "/b/f", "");
            cmd("read-one", "xenstore-read", "/a");
            cmd("read-two", "xenstore-read", "/a", "/b/c");
            cmd("read-prefixed", "xenstore-read", "-p", "/a", "/b/d/e");
            cmd("read-empty-inner-node", "xenstore-read", "/b");
            cmd("read-missing", "xenstore-read", "/nope");
            cmd("read-present-then-missing", "xenstore-read", "/a", "/nope");
            cmd("overwrite", "xenstore-write", "/b/f", "now set");
            cmd("read-overwritten", "xenstore-read", "/b/f");

            // values with spaces and special characters; xenstore-write unescapes \t \n \\ \xNN \NNN,
            // xenstore-read and xenstore-ls escape what is not printable
            String[] special = {"xenstore-write",
                    "/s/space", "a b  c ",
                    "/s/quote", "say \"hi\"",
                    "/s/squote", "it's",
                    "/s/backslash", "a\\\\b",
                    "/s/tab", "x\\ty",
                    "/s/newline", "l1\\nl2",
                    "/s/utf8", "h\u00e9llo \u20ac",
                    "/s/punct", "k=v;x,y|z&<>",
                    "/s/shell", "$HOME*?[]{}`~#%",
                    "/s/control", "\\x01\\x7f\\x1b",
                    "/s/octal", "\\101\\0B",
                    "/s/long", "0123456789".repeat(100)};
            String shown = shellJoin(List.of(special));
            cmd("write-special-values", "$ " + shown.substring(0, shown.lastIndexOf(' ') + 1)
                    + "0123456789...  # 0123456789 100 times", List.of(special));
            cmd("read-special-values", "xenstore-read", "/s/space", "/s/quote", "/s/squote", "/s/backslash",
                    "/s/tab", "/s/newline", "/s/utf8", "/s/punct", "/s/shell", "/s/control", "/s/octal");
            cmd("read-raw", "xenstore-read", "-R", "/s/newline", "/s/tab", "/s/utf8");
            cmd("write-raw", "xenstore-write", "-R", "/s/raw", "a\\nb");
            cmd("read-raw-written", "xenstore-read", "/s/raw");
            cmd("read-long-value", "xenstore-read", "/s/long");
            cmd("ls-special-values", "xenstore-ls", "-f", "/s");

            // listings
            cmd("ls-whole-tree", "xenstore-ls", "-fp", "/");
            cmd("ls-subtree", "xenstore-ls", "/b");
            cmd("ls-subtree-full-paths", "xenstore-ls", "-f", "/b");
            cmd("ls-leaf", "xenstore-ls", "/a");
            cmd("list", "xenstore-list", "/b");
            cmd("list-two-prefixed", "xenstore-list", "-p", "/b", "/b/d");
            cmd("list-leaf", "xenstore-list", "/a");
            cmd("list-root", "xenstore-list", "/");

            // exists
            cmd("exists-present", "xenstore-exists", "/a", "/b/d/e");
            cmd("exists-absent", "xenstore-exists", "/nope");
            cmd("exists-present-and-absent", "xenstore-exists", "/a", "/nope");

            // relative paths are relative to the domain path (/local/domain/0 for dom0)
            cmd("write-relative", "xenstore-write", "rel", "x");
            cmd("read-relative", "xenstore-read", "rel");
            cmd("ls-domain-path", "xenstore-ls", "-fp", "/local");

            // permissions
            cmd("chmod", "xenstore-chmod", "/a", "n0", "r5", "w7");
            cmd("ls-perms-whole-tree", "xenstore-ls", "-p");
            cmd("chmod-recursive", "xenstore-chmod", "-r", "/b", "b3");
            cmd("ls-perms-after-recursive", "xenstore-ls", "-fp", "/");
            cmd("chmod-owner-only", "xenstore-chmod", "/b/c", "r2");
            cmd("ls-perms-subtree", "xenstore-ls", "-p", "/b");
            cmd("chmod-missing", "xenstore-chmod", "/nope", "n0");

            // watch: the initial event, then a write and an rm from other processes
            watch();

            // rm of a node, of a subtree, of missing nodes, and -t (also remove empty parents)
            cmd("rm-node", "xenstore-rm", "/a");
            cmd("exists-removed-node", "xenstore-exists", "/a");
            cmd("rm-subtree", "xenstore-rm", "/b");
            cmd("exists-removed-subtree", "xenstore-exists", "/b");
            cmd("exists-removed-subtree-leaf", "xenstore-exists", "/b/d/e");
            cmd("rm-missing", "xenstore-rm", "/nope");
            cmd("rm-below-missing", "xenstore-rm", "/nope/deeper");
            cmd("write-for-rm-t", "xenstore-write", "/t/u/v", "x", "/t/keep", "k");
            cmd("rm-tidy", "xenstore-rm", "-t", "/t/u/v");
            cmd("ls-after-rm-tidy", "xenstore-ls", "-f", "/t");

            // errors
            cmd("ls-missing", "xenstore-ls", "/nope");
            cmd("list-missing", "xenstore-list", "/nope");
            cmd("write-invalid-char-space", "xenstore-write", "/bad path", "x");
            cmd("write-invalid-char-star", "xenstore-write", "/bad*char", "x");
            cmd("write-invalid-char-dot", "xenstore-write", "/a.b", "x");
            cmd("write-invalid-double-slash", "xenstore-write", "/bad//x", "x");
            cmd("write-invalid-trailing-slash", "xenstore-write", "/trail/", "x");
            cmd("read-invalid-path", "xenstore-read", "/bad path");
            cmd("ls-invalid-path", "xenstore-ls", "/bad path");
            cmd("watch-invalid-path", "xenstore-watch", "-n", "1", "/bad path");
            cmd("write-valid-punctuation", "xenstore-write", "/ok-_@/x_y-z@0", "v");
            cmd("read-valid-punctuation", "xenstore-read", "/ok-_@/x_y-z@0");

            cmd("ls-whole-tree-final", "xenstore-ls", "-fp", "/");

            // a directory too big for one XS_DIRECTORY reply (E2BIG): libxenstore falls back to DIRECTORY_PART
            List<String> big = new ArrayList<>();
            big.add("xenstore-write");
            for (int i = 0; i < BIG_DIR_ENTRIES; i++) {
                big.add("/big/entry-" + i);
                big.add("v" + i);
            }
            cmd("big-dir-write", "$ xenstore-write /big/entry-0 v0 /big/entry-1 v1 ... /big/entry-"
                    + (BIG_DIR_ENTRIES - 1) + " v" + (BIG_DIR_ENTRIES - 1), big);
            cmd("big-dir-list", "xenstore-list", "/big");
            cmd("big-dir-ls", "xenstore-ls", "-f", "/big");
            cmd("big-dir-rm", "xenstore-rm", "/big");
            cmd("big-dir-exists-after-rm", "xenstore-exists", "/big");
            return transcript.toString();
        }

        /**
         * {@code xenstore-watch -n 3 /w}: wait for its first line (the event that every new watch fires), then
         * write below /w and remove /w from other processes; the watch must then print those two events and exit.
         */
        private void watch() throws IOException, InterruptedException {
            List<String> watchCmd = List.of("xenstore-watch", "-n", "3", "/w");
            if (timedOut) {
                cmd("watch-write", "xenstore-write", "/w/x", "1");
                cmd("watch-rm", "xenstore-rm", "/w");
                cmd("watch", "$ " + shellJoin(watchCmd), watchCmd);
                return;
            }
            Running w = ExternalTools.start(socket, absolute(watchCmd));
            boolean initial = w.awaitStdoutLines(1, Duration.ofSeconds(10));
            String note = initial ? "" : "  # NO INITIAL EVENT within 10 s";
            cmd("watch-write", "xenstore-write", "/w/x", "1");
            cmd("watch-rm", "xenstore-rm", "/w");
            Result r = w.await(Duration.ofSeconds(10));
            append("watch", "$ " + shellJoin(watchCmd) + "  # in the background, during the two steps before"
                    + note, r);
        }

        private void cmd(String name, String... command) throws IOException, InterruptedException {
            cmd(name, "$ " + shellJoin(List.of(command)), List.of(command));
        }

        private void cmd(String name, String display, List<String> command) throws IOException, InterruptedException {
            if (timedOut) {
                step++;
                transcript.append(String.format("=== %02d %s%n", step, name));
                transcript.append(display).append('\n');
                transcript.append("--- NOT RUN: an earlier step timed out\n");
                return;
            }
            append(name, display, ExternalTools.run(socket, COMMAND_TIMEOUT, absolute(command)));
        }

        /** The tools are run from /usr/bin (where requireXenstoreUtils found them), whatever PATH says. */
        private static List<String> absolute(List<String> command) {
            List<String> cmd = new ArrayList<>(command);
            cmd.set(0, ExternalTools.XENSTORE_UTILS_DIR.resolve(cmd.get(0)).toString());
            return cmd;
        }

        private void append(String name, String display, Result r) {
            timedOut |= r.timedOut();
            step++;
            transcript.append(String.format("=== %02d %s%n", step, name));
            transcript.append(display).append('\n');
            transcript.append("--- exit ").append(r.timedOut() ? "TIMEOUT" : Integer.toString(r.exitCode()))
                    .append('\n');
            stream("stdout", r.stdout());
            stream("stderr", r.stderr());
        }

        /** A stream as is; one that does not end in a newline gets one plus a marker line. */
        private void stream(String label, byte[] bytes) {
            transcript.append("--- ").append(label).append('\n');
            if (bytes.length == 0) {
                return;
            }
            transcript.append(new String(bytes, StandardCharsets.UTF_8));
            if (bytes[bytes.length - 1] != '\n') {
                transcript.append("\n\\ no newline at end\n");
            }
        }
    }

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9/_@%+=:,.-]+");

    /** The command as one could paste it into a POSIX shell. */
    static String shellJoin(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (String arg : command) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (SHELL_SAFE.matcher(arg).matches()) {
                sb.append(arg);
            } else {
                sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }
}
