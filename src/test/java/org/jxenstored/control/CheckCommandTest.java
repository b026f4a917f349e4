package org.jxenstored.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;
import org.junit.jupiter.api.Test;

/** {@code check} reports what the wrapped check reports, line by line, and adds the connection bookkeeping. */
class CheckCommandTest {
    private static ControlCommand answering(String text) {
        return new ControlCommand() {
            @Override
            public String name() {
                return "check";
            }

            @Override
            public String usage() {
                return "";
            }

            @Override
            public String run(String[] args) {
                return text;
            }
        };
    }

    @Test
    void passesOnTheProblemsOfTheServersCheck() {
        Server s = new Server(new Limits());
        assertThat(new CheckCommand(s, answering("OK")).run(new String[0])).isEqualTo("OK");
        assertThat(new CheckCommand(s, answering("/a: no permissions\n/b: bad")).run(new String[0]))
                .isEqualTo("/a: no permissions\n/b: bad");
    }

    @Test
    void aFreshServerIsSound() {
        Server s = new Server(new Limits());
        assertThat(new CheckCommand(s, s.control().command("check")).run(new String[0])).isEqualTo("OK");
    }
}
