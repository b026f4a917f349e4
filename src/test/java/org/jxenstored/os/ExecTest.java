package org.jxenstored.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec of a live update, in a JVM of its own ({@link ExecProbe}): same pid, only the chosen descriptor kept. */
class ExecTest {
    @TempDir
    Path dir;

    @Test
    void execKeepsThePidAndOnlyTheHandedOverDescriptorBlockingAndNoSignalBlocked() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ExecProbe.class.getName(), dir.resolve("kept").toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> lines = report(out);
        assertThat(lines.get("pid")).as(out).isEqualTo(Long.toString(p.pid()));
        String fd = lines.get("fd");
        List<String> fds = Arrays.stream(out.split("\n")).filter(l -> l.matches("[0-9]+")).toList();
        assertThat(fds).as(out).contains(fd).allMatch(f -> List.of("0", "1", "2", fd).contains(f));
        int flags = Integer.parseInt(lines.get("flags:").strip(), 8);
        assertThat(flags & 04000).as("O_NONBLOCK cleared: " + out).isZero();
        assertThat(lines.get("SigBlk:").strip()).as(out).matches("0+");
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static Map<String, String> report(String out) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] kv = line.split("[ \t]", 2);
            if (kv.length == 2) {
                m.put(kv[0], kv[1].strip());
            }
        }
        return m;
    }
}
