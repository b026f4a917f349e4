package org.jxenstored.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator changed in the access log at run time ({@code xenstore-control log}, {@code logfile}) crosses a
 * live update: the successor, started with the configuration's settings, takes the predecessor's state over.
 */
class AccessLogHandoverTest {
    @TempDir
    Path tmp;

    @Test
    void theSuccessorLogsWhereAndWhatThePredecessorDid() throws Exception {
        AccessLogSettings configured = new AccessLogSettings();
        configured.file = tmp.resolve("configured.log");
        AccessLog before = new AccessLog(configured.copy(), new Server(new Limits()));
        before.start();
        assertThat(before.setFile(tmp.resolve("moved.log"))).isNull(); // logfile: on, elsewhere
        assertThat(before.setSwitch("read", false)).isTrue();
        Map<String, String> state = before.handoverState();
        before.stop();
        assertThat(state).containsEntry("access-log", "on").containsEntry("access-log-read", "off")
                .containsEntry("access-log-file", tmp.resolve("moved.log").toString());

        AccessLog after = new AccessLog(configured.copy(), new Server(new Limits()));
        after.start(); // off, as configured
        assertThat(after.enabled()).isFalse();
        after.takeOver(state);
        assertThat(after.enabled()).isTrue();
        assertThat(after.file()).isEqualTo(tmp.resolve("moved.log"));
        assertThat(after.switches()).containsEntry("read", false).containsEntry("trans", true);
        assertThat(Files.exists(tmp.resolve("configured.log"))).isFalse();
        after.takeOver(Map.of("access-log", "off"));
        assertThat(after.enabled()).isFalse();
        after.stop();
    }
}
