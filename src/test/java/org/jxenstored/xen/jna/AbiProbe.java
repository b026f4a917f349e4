package org.jxenstored.xen.jna;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Compiles {@code src/test/resources/xen-abi/probe.c} with gcc against the installed Xen headers, runs it once per
 * JVM and returns its "name value" lines. Skips the calling test when gcc or the headers are missing, unless
 * {@code JXS_REQUIRE_TOOLS=1} (as {@code scripts/test} sets), which turns that into a failure.
 */
final class AbiProbe {
    static final String REQUIRE_TOOLS_ENV = "JXS_REQUIRE_TOOLS";
    /** Headers the probe includes (Debian package libxen-dev). */
    static final List<Path> HEADERS = List.of(Path.of("/usr/include/xenctrl.h"), Path.of("/usr/include/xenevtchn.h"),
            Path.of("/usr/include/xengnttab.h"), Path.of("/usr/include/xenforeignmemory.h"),
            Path.of("/usr/include/xen/io/xs_wire.h"), Path.of("/usr/include/xen/domctl.h"));

    private static Map<String, Long> values;

    private AbiProbe() {
    }

    static boolean toolsRequired() {
        return "1".equals(System.getenv(REQUIRE_TOOLS_ENV));
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

    /** The probe's output: "sizeof.T", "offsetof.T.field" and "const.NAME" to their values. */
    static synchronized Map<String, Long> values() throws IOException, InterruptedException {
        Path gcc = findOnPath("gcc");
        requireTool(gcc != null, "gcc is not installed (Debian package gcc)");
        for (Path header : HEADERS) {
            requireTool(Files.isRegularFile(header), header + " is missing (Debian package libxen-dev)");
        }
        if (values == null) {
            values = compileAndRun(gcc);
        }
        return values;
    }

    /** The value the probe printed for {@code name}; fails when it printed none. */
    static long value(String name) throws IOException, InterruptedException {
        Long v = values().get(name);
        if (v == null) {
            fail("the probe printed no value for " + name);
        }
        return v;
    }

    private static Map<String, Long> compileAndRun(Path gcc) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jxs-xen-abi");
        try {
            Path source = dir.resolve("probe.c");
            try (InputStream in = AbiProbe.class.getResourceAsStream("/xen-abi/probe.c")) {
                if (in == null) {
                    fail("xen-abi/probe.c is not on the test classpath");
                }
                Files.copy(in, source);
            }
            Path binary = dir.resolve("probe");
            String compileOutput = run(List.of(gcc.toString(), "-std=gnu11", "-Wall", "-Werror", "-o",
                    binary.toString(), source.toString()), "gcc");
            if (!Files.isExecutable(binary)) {
                fail("gcc produced no probe binary:\n" + compileOutput);
            }
            String output = run(List.of(binary.toString()), "probe");
            Map<String, Long> parsed = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                if (parts.length != 2) {
                    fail("unexpected probe output line: " + line);
                }
                parsed.put(parts[0], Long.parseLong(parts[1]));
            }
            return parsed;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String run(List<String> command, String what) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(what + " did not finish within 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail(what + " failed with exit code " + process.exitValue() + ":\n" + text);
        }
        return text;
    }

    private static Path findOnPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
