package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.CONTROL;
import static org.jxenstored.wire.XsTestClient.expectError;
import static org.jxenstored.wire.XsTestClient.expectReply;
import static org.jxenstored.wire.XsTestClient.latin1;
import static org.jxenstored.wire.XsTestClient.nul;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jxenstored.wire.XsTestClient.Msg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** XS_CONTROL: {@code <command>|[<parameters>|]}. The command set is implementation specific; check/print/help. */
class ControlOpsTest extends WireTestBase {

    @Test
    void checkSaysOk() {
        expectReply(c.control("check"), CONTROL, nul("OK"));
    }

    @Test
    void helpListsTheCommandsOnePerLine() {
        Msg r = c.control("help");
        assertThat(r.type()).as("reply %s", r).isEqualTo(CONTROL);
        String text = r.text();
        assertThat(text).endsWith("\n\0");
        assertThat(text.indexOf('\0')).isEqualTo(text.length() - 1);
        List<String> names = new ArrayList<>();
        for (String line : text.substring(0, text.length() - 2).split("\n", -1)) {
            if (line.startsWith(" ")) {
                continue; // continuation of a usage text (C's live-update has one)
            }
            // C 4.22: "%-15s %s" (4.17: a tab between name and usage)
            assertThat(line).as("help line").matches("[a-z-]+ +.*").hasSizeGreaterThanOrEqualTo(16);
            assertThat(line.charAt(15)).as("help line %s", line).isEqualTo(' ');
            names.add(line.substring(0, line.indexOf(' ')));
        }
        assertThat(names).contains("check", "print", "help");
    }

    @Test
    void printAnswersOk() {
        expectReply(c.control("print", "a marker from ControlOpsTest"), CONTROL, nul("OK"));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("unknown command", nul("bogus")),
                Arguments.of("upper-case command", nul("HELP")),
                Arguments.of("empty payload", new byte[0]),
                Arguments.of("empty command", nul("")),
                Arguments.of("unterminated command", latin1("help")),
                Arguments.of("print without text", nul("print")),
                Arguments.of("print with two strings", nul("print", "a", "b")),
                Arguments.of("help with an argument", nul("help", "extra")),
                Arguments.of("check with an argument", nul("check", "extra")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidControlRequestsAreEinval(String what, byte[] payload) {
        expectError(c.request(CONTROL, payload), "EINVAL");
    }

    @Test
    void controlEchoesTheHeader() {
        int reqId = c.send(CONTROL, 0, nul("check"));
        Msg r = c.awaitReply(reqId);
        assertThat(r.reqId()).isEqualTo(reqId);
        assertThat(r.txId()).isZero();
    }
}
