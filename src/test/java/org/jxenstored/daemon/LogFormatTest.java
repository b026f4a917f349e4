package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;
import org.jxenstored.logging.AccessLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both logs use one time convention: ISO 8601, local time with its offset from UTC (the daemon log had local time
 * without a zone, the access log UTC). Checked in a zone with a half-hour offset and no daylight saving time.
 */
class LogFormatTest {
    /** A daemon log line: {@code 2025-01-01T11:00:00.000+05:30 INFO  [thread] Logger: message}. */
    static final String DAEMON_LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d "
            + "(TRACE|DEBUG|INFO |WARN |ERROR) \\[.*";
    /** An access log line: {@code [2025-01-01T11:00:00.000+05:30] A3 d0 ...}. */
    static final String ACCESS_LINE = "\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d] .*";

    @TempDir
    Path dir;

    private final TimeZone saved = TimeZone.getDefault();

    @AfterEach
    void restore() {
        TimeZone.setDefault(saved);
    }

    private List<String> logThrough(Path configuration) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        Path file = dir.resolve("daemon.log");
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        ctx.putProperty(LogSetup.FILE, file.toString());
        ctx.putProperty(LogSetup.LEVEL, "INFO");
        JoranConfigurator j = new JoranConfigurator();
        j.setContext(ctx);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream savedErr = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            j.doConfigure(configuration.toFile());
            ctx.getLogger("org.jxenstored.daemon.Daemon").info("a line");
        } finally {
            ctx.stop();
            System.setErr(savedErr);
        }
        return Files.exists(file) ? Files.readAllLines(file) : List.of(err.toString().strip().split("\n"));
    }

    @Test
    void theDaemonLogFileHasLocalTimeWithItsOffset() throws Exception {
        for (Path conf : List.of(Path.of("src/main/resources/logback-file.xml"))) {
            List<String> lines = logThrough(conf);
            assertThat(lines).as(conf.toString()).singleElement().asString().matches(DAEMON_LINE)
                    .contains("+05:30 INFO  [").endsWith("Daemon: a line");
            Files.delete(dir.resolve("daemon.log"));
        }
    }

    @Test
    void theForegroundLogHasTheSameFormat() throws Exception {
        for (Path conf : List.of(Path.of("src/main/resources/logback.xml"))) {
            List<String> lines = logThrough(conf);
            assertThat(lines).as(conf.toString()).last().asString().matches(DAEMON_LINE).contains("+05:30 INFO  [");
        }
    }

    @Test
    void theAccessLogUsesTheSameTimeStamp() throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        ch.qos.logback.classic.PatternLayout layout = new ch.qos.logback.classic.PatternLayout();
        layout.setContext(ctx);
        layout.setPattern("[%d{" + AccessLog.TIMESTAMP + "}] %msg");
        layout.start();
        ch.qos.logback.classic.spi.LoggingEvent e = new ch.qos.logback.classic.spi.LoggingEvent("x",
                ctx.getLogger("x"), ch.qos.logback.classic.Level.INFO, "A3       d0     newconn           socket",
                null, null);
        e.setTimeStamp(1735689600000L); // 2025-01-01T00:00:00Z
        assertThat(layout.doLayout(e)).isEqualTo("[2025-01-01T05:30:00.000+05:30] A3       d0     newconn"
                + "           socket").matches(ACCESS_LINE);
    }
}
