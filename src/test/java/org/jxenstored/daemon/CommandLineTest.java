package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's syntax: getopt_long's, as C xenstored's options are given by scripts and init systems. */
class CommandLineTest {
    private Main parse(String... args) throws Exception {
        Main m = new Main(Map.of(), new PrintWriter(new StringWriter()));
        m.parse(args);
        return m;
    }

    @Test
    void shortOptionsClusterAndTakeAttachedOrSeparateValues() throws Exception {
        Main m = parse("-NVK", "-E100", "-S", "200", "-W=300", "-Qnodes=5", "-Q", "watches=6", "-NT/tmp/t");
        assertThat(m.noFork).isTrue();
        assertThat(m.verbose).isTrue();
        assertThat(m.keepOrphans).isTrue();
        assertThat(m.entryNb).isEqualTo(100);
        assertThat(m.entrySize).isEqualTo(200);
        assertThat(m.watches).isEqualTo(300);
        assertThat(m.quotas).containsExactly(Map.entry("nodes", "5"), Map.entry("watches", "6"));
        assertThat(m.traceFile).isEqualTo(Path.of("/tmp/t"));
    }

    @Test
    void longOptionsTakeTheirValueAfterAnEqualsSignOrAsTheNextArgument() throws Exception {
        Main m = parse("--pid-file=/run/x.pid", "--entry-nb", "7", "--quota=memory=9", "--no-fork");
        assertThat(m.pidFile).isEqualTo(Path.of("/run/x.pid"));
        assertThat(m.entryNb).isEqualTo(7);
        assertThat(m.quotas).containsEntry("memory", "9");
        assertThat(m.noFork).isTrue();
    }

    @Test
    void anOptionalValueIsTheNextArgumentUnlessThatIsAnOption() throws Exception {
        assertThat(parse("--simulate").simulate).isEqualTo(2);
        assertThat(parse("--simulate", "5").simulate).isEqualTo(5);
        assertThat(parse("--simulate=3").simulate).isEqualTo(3);
        assertThat(parse("--simulate", "-N").simulate).isEqualTo(2);
        assertThat(parse("-I").internalDb).isEqualTo("on");
        assertThat(parse("-I", "off").internalDb).isEqualTo("off");
        assertThat(parse("-I", "--socket-only").internalDb).isEqualTo("on");
    }

    @Test
    void errorsNameTheArgument() {
        assertThatThrownBy(() -> parse("--bogus")).hasMessage("Unknown option: '--bogus'");
        assertThatThrownBy(() -> parse("--bogus=1")).hasMessage("Unknown option: '--bogus'");
        assertThatThrownBy(() -> parse("-Nx")).hasMessage("Unknown option: '-x'");
        assertThatThrownBy(() -> parse("-E")).hasMessage("Missing required parameter for option '-E' (N)");
        assertThatThrownBy(() -> parse("-E", "x")).hasMessage("Invalid value for option '-E': 'x' is not an int");
        assertThatThrownBy(() -> parse("-Q", "nodes")).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> parse("--no-fork=yes")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> parse("-N", "extra")).hasMessage("Unmatched argument at index 1: 'extra'");
        assertThatThrownBy(() -> parse("--")).hasMessageContaining("'--'");
    }

    @Test
    void helpListsTheVisibleOptionsWithinOneHundredColumns() {
        String help = new Main(Map.of(), new PrintWriter(new StringWriter())).usage();
        assertThat(help).startsWith("Usage: jxenstored [OPTIONS]\nA Xenstore daemon")
                .contains("  -h, -H, --help").contains("  -F, --pid-file=FILE").contains("  -I, --internal-db[=on|off]")
                .doesNotContain("--ready-file").doesNotContain("--daemonized");
        assertThat(help.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    }
}
