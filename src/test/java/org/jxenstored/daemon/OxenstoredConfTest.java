package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A daemon started with Debian's oxenstored.conf: the keys it accepts without implementing them are named in one
 * WARN line at start; with the file's access-log-file line in force, the access log is on, into that file.
 */
class OxenstoredConfTest {
    private static List<String> warnings(ListAppender<ILoggingEvent> lines) {
        return lines.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
    }

    @Test
    void keysWithoutEffectAreNamedInOneWarningAndAccessLogFileSwitchesTheLogOn() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger daemonLog = ctx.getLogger(Daemon.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.setContext(ctx);
        lines.start();
        daemonLog.addAppender(lines);
        try {
            List<String> ox = Files.readAllLines(ConfigFileTest.DEBIAN_OXENSTORED_CONF);
            try (TestDaemon d = TestDaemon.start(c -> {
                try {
                    List<String> withLog = ox.stream().map(l -> l.replace("# access-log-file = /var/log/xen/",
                            "access-log-file = " + c.socketPath.getParent() + "/")).collect(Collectors.toList());
                    ConfigFile.apply("oxenstored.conf", withLog, c, true);
                } catch (ConfigException e) {
                    throw new IllegalStateException(e);
                }
                c.pidFile = null; // not the host's /var/run/xen/xenstored.pid
                c.platform = DaemonConfig.PlatformMode.NONE;
            })) {
                List<String> warned = warnings(lines);
                assertThat(warned).hasSize(1);
                assertThat(warned.get(0)).startsWith("configuration ").contains("accepted but not implemented")
                        .contains("merge-activate, conflict-burst-limit, conflict-max-history-seconds, "
                                + "conflict-rate-limit-is-aggregate")
                        .contains("Switching from oxenstored");
                assertThat(d.daemon().accessLog().enabled()).isTrue();
                assertThat(d.daemon().accessLog().file()).isEqualTo(d.dir().resolve("xenstored-access.log"));
                try (XsTestClient c = XsTestClient.connect(d.socketPath())) {
                    c.write("/ox", "1");
                }
                assertThat(Files.readString(d.dir().resolve("xenstored-access.log"))).contains("write")
                        .contains("/ox 1 -> OK");
            }
        } finally {
            daemonLog.detachAppender(lines);
        }
    }
}
