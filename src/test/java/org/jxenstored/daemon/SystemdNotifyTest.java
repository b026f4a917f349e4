package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify without libsystemd: the datagram reaches a socket bound where NOTIFY_SOCKET says. */
class SystemdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void unsetOrEmptyNotifySocketMeansNoNotifier() {
        assertThat(SystemdNotify.fromEnvironment(Map.of())).isNull();
        assertThat(SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", ""))).isNull();
    }

    @Test
    void readyReachesAPathSocket() throws Exception {
        Path sock = Files.createTempDirectory(Path.of("/tmp"), "jxsn").resolve("notify");
        try (DatagramReceiver r = new DatagramReceiver(sock.toString())) {
            SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", sock.toString()));
            assertThat(n.send("READY=1\nSTATUS=Serving /x\n")).isTrue();
            assertThat(r.receive(5000)).isEqualTo("READY=1\nSTATUS=Serving /x\n");
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(sock.getParent());
        }
    }

    @Test
    void readyReachesAnAbstractSocket() {
        String name = "@jxenstored-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (DatagramReceiver r = new DatagramReceiver(name)) {
            assertThat(SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", name)).send("READY=1")).isTrue();
            assertThat(r.receive(5000)).isEqualTo("READY=1");
        }
    }

    @Test
    void nobodyListeningIsReportedNotThrown() {
        SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", dir.resolve("nobody").toString()));
        assertThat(n.send("READY=1")).isFalse();
        assertThat(SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "relative/path")).send("READY=1")).isFalse();
    }
}
