package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The manual page jxenstored(8) (docs/jxenstored.8.md, turned into troff by scripts/md2man when the Debian package
 * is built) against what it describes: OPTIONS names exactly the options of {@code jxenstored --help}, ENVIRONMENT
 * every variable the launcher reads; the converter makes a page that groff renders without a warning.
 */
class ManPageTest {
    static final Path SOURCE = Path.of("docs/jxenstored.8.md");

    /** The lines of one "## TITLE" section of the source. */
    private static List<String> section(String title) throws Exception {
        List<String> lines = Files.readAllLines(SOURCE);
        int start = lines.indexOf("## " + title);
        assertThat(start).as("section %s in %s", title, SOURCE).isNotNegative();
        List<String> out = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            out.add(lines.get(i));
        }
        return out;
    }

    /** The `code` words of a section's definition terms (the lines followed by ":   "). */
    private static Set<String> terms(String title) throws Exception {
        List<String> lines = section(title);
        Set<String> words = new TreeSet<>();
        Pattern code = Pattern.compile("`([^`]+)`");
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i + 1).startsWith(":   ")) {
                Matcher m = code.matcher(lines.get(i));
                while (m.find()) {
                    words.add(m.group(1));
                }
            }
        }
        return words;
    }

    @Test
    void optionsAreExactlyThoseOfTheCommandLine() throws Exception {
        Set<String> options = new TreeSet<>();
        for (CliOption o : new Main(Map.of(), new PrintWriter(new StringWriter())).options()) {
            if (!o.hidden) {
                options.addAll(o.names);
            }
        }
        assertThat(terms("OPTIONS")).isEqualTo(options);
    }

    @Test
    void environmentNamesEveryVariableOfTheLauncher() throws Exception {
        // the launcher's header lists them: "#   NAME   what it is"
        Set<String> variables = new TreeSet<>();
        Pattern v = Pattern.compile("^#   ([A-Z][A-Z_]+)(?: / ([A-Z][A-Z_]+))?\\s");
        for (String line : Files.readAllLines(Path.of("scripts/jxenstored"))) {
            Matcher m = v.matcher(line);
            if (m.find()) {
                variables.add(m.group(1));
                if (m.group(2) != null) {
                    variables.add(m.group(2));
                }
            }
        }
        assertThat(variables).contains("XENSTORED_PATH", "JAVA", "JXENSTORED_JAVA_OPTS_EXTRA");
        assertThat(terms("ENVIRONMENT")).containsAll(variables);
    }

    @Test
    void theSourceIsPlainAscii() throws Exception {
        byte[] b = Files.readAllBytes(SOURCE);
        for (int i = 0; i < b.length; i++) {
            assertThat(b[i]).as("byte %d of %s", i, SOURCE).isNotNegative();
        }
    }

    @Test
    void md2manMakesAPageGroffRendersWithoutWarnings() throws Exception {
        Path out = Files.createTempFile("jxenstored", ".8");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "--source", "17", "scripts/md2man", SOURCE.toString(), "1.2.3",
                    "2025-01-02").redirectOutput(out.toFile()).redirectErrorStream(false).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(err).isZero();
            String page = Files.readString(out);
            assertThat(page).startsWith(".\\\" Generated from jxenstored.8.md")
                    .contains(".TH JXENSTORED 8 \"2025\\-01\\-02\" \"jxenstored 1.2.3\" \"System Administration\"")
                    .contains(".SH NAME\njxenstored \\- ")
                    .contains(".TP\n\\fB\\-F\\fR, \\fB\\-\\-pid\\-file\\fR \\fIFILE\\fR\n")
                    .doesNotContain("`").doesNotContain("**");
            if (new File("/usr/bin/groff").canExecute()) { // groff-base; lintian checks the page too (deb-check)
                Process g = new ProcessBuilder("/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", out.toString())
                        .redirectErrorStream(true).start();
                String warnings = new String(g.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(g.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(warnings).isEmpty();
                assertThat(g.exitValue()).isZero();
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
