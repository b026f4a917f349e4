package org.jxenstored.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.jxenstored.server.HeldMemory;
import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;
import org.junit.jupiter.api.Test;

/** {@code check} answers OK for a sound state and one line per broken invariant otherwise. */
class CheckCommandTest {
    @Test
    void aFreshServerIsSound() {
        Server s = new Server(new Limits());
        assertThat(new CheckCommand(s).run(new String[0])).isEqualTo("OK");
    }

    @Test
    void aBrokenInvariantIsReportedOnce() {
        Server s = new Server(new Limits());
        s.quotas().held().add(5, HeldMemory.Kind.WATCHES, 10);
        String answer = new CheckCommand(s).run(new String[0]);
        assertThat(answer).startsWith("domain 5 held memory accounted [10, 0, 0], recounted [0, 0, 0]");
        assertThat(answer.lines()).hasSize(1);
    }
}
