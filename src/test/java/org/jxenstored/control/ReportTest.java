package org.jxenstored.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports longer than a reply can carry: cut after a whole line, saying how many lines were left out. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void aShortReportIsTheReply() {
        assertThat(Report.reply("a\tb\n", "stats")).isEqualTo("a\tb\n");
    }

    @Test
    void aLongReportIsCutAfterAWholeLineAndSaysSo() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("line_").append(i).append('\t').append(i).append('\n');
        }
        String reply = Report.reply(sb.toString(), "connections");
        assertThat(reply.length()).isLessThanOrEqualTo(4095);
        String[] lines = reply.split("\n");
        String last = lines[lines.length - 1];
        int kept = lines.length - 1;
        assertThat(last).isEqualTo("... " + (1000 - kept) + " more lines: 'connections FILE' writes them all to FILE");
        assertThat(lines[kept - 1]).isEqualTo("line_" + (kept - 1) + "\t" + (kept - 1));
        assertThat(sb.toString()).startsWith(reply.substring(0, reply.length() - last.length() - 1));
    }

    @Test
    void toFileWritesEverything() throws Exception {
        Path f = dir.resolve("r.txt");
        assertThat(Report.toFile("x".repeat(10_000), f.toString())).isEqualTo("OK");
        assertThat(Files.size(f)).isEqualTo(10_000);
        assertThat(Report.toFile("x", dir.resolve("no/such/dir").toString())).startsWith("cannot write ");
    }
}
