package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon log set up without Joran ({@link ShippedLogConfig}) is what Joran makes of the shipped files, and it
 * is used only for them: an edited copy still goes to Joran.
 */
class ShippedLogConfigTest {
    @TempDir
    Path dir;

    private LoggerContext context(Path logFile, String level) {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        ctx.putProperty(LogSetup.FILE, logFile.toString());
        ctx.putProperty(LogSetup.LEVEL, level);
        ctx.putProperty(LogSetup.FILES, "4");
        ctx.putProperty(LogSetup.MAX_SIZE, "123456");
        return ctx;
    }

    private LoggerContext byJoran(String shipped, Path logFile, String level) throws Exception {
        LoggerContext ctx = context(logFile, level);
        JoranConfigurator j = new JoranConfigurator();
        j.setContext(ctx);
        try (InputStream in = getClass().getResourceAsStream("/" + shipped)) {
            j.doConfigure(in);
        }
        return ctx;
    }

    private LoggerContext direct(String shipped, Path logFile, String level) {
        LoggerContext ctx = context(logFile, level);
        ShippedLogConfig.apply(ctx, shipped);
        return ctx;
    }

    /** Everything about a context's set-up that decides what is logged where and how. */
    private static List<String> describe(LoggerContext ctx) {
        List<String> d = new ArrayList<>();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        d.add("root " + root.getLevel());
        Logger access = ctx.getLogger("org.jxenstored.access");
        d.add("access " + access.getLevel() + " additive " + access.isAdditive());
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            d.add("appender " + a.getName() + " " + a.getClass().getName() + " started " + a.isStarted());
            d.add("pattern " + ((PatternLayoutEncoder) ((OutputStreamAppender<ILoggingEvent>) a).getEncoder())
                    .getPattern());
            if (a instanceof ConsoleAppender) {
                d.add("target " + ((ConsoleAppender<ILoggingEvent>) a).getTarget());
            }
            if (a instanceof RollingFileAppender) {
                RollingFileAppender<ILoggingEvent> r = (RollingFileAppender<ILoggingEvent>) a;
                FixedWindowRollingPolicy p = (FixedWindowRollingPolicy) r.getRollingPolicy();
                d.add("file " + r.getFile() + " append " + r.isAppend() + " prudent " + r.isPrudent());
                d.add("rolling " + p.getFileNamePattern() + " " + p.getMinIndex() + ".." + p.getMaxIndex()
                        + " started " + p.isStarted());
                SizeBasedTriggeringPolicy<ILoggingEvent> t =
                        (SizeBasedTriggeringPolicy<ILoggingEvent>) r.getTriggeringPolicy();
                d.add("trigger " + t.getMaxFileSize() + " started " + t.isStarted());
            }
        }
        return d;
    }

    @Test
    void theStandardErrorSetUpIsJoransOfLogbackXml() throws Exception {
        for (String level : List.of("INFO", "DEBUG", "WARN", "OFF", "nonsense")) {
            LoggerContext joran = byJoran("logback.xml", dir.resolve("unused.log"), level);
            LoggerContext direct = direct("logback.xml", dir.resolve("unused.log"), level);
            assertThat(describe(direct)).isEqualTo(describe(joran)).anyMatch(l -> l.startsWith("target System.err"));
            joran.stop();
            direct.stop();
        }
    }

    @Test
    void theFileSetUpIsJoransOfLogbackFileXmlAndWritesTheSameLines() throws Exception {
        Path a = dir.resolve("joran.log");
        Path b = dir.resolve("direct.log");
        LoggerContext joran = byJoran("logback-file.xml", a, "INFO");
        LoggerContext direct = direct("logback-file.xml", b, "INFO");
        assertThat(describe(direct)).containsExactlyElementsOf(describe(joran).stream()
                .map(l -> l.replace(a.toString(), b.toString())).toList());
        joran.getLogger("org.jxenstored.daemon.Daemon").info("a line {}", 1);
        direct.getLogger("org.jxenstored.daemon.Daemon").info("a line {}", 1);
        joran.getLogger("org.jxenstored.access").error("not in the daemon log");
        direct.getLogger("org.jxenstored.access").error("not in the daemon log");
        joran.stop();
        direct.stop();
        // the same line, but for its time stamp
        assertThat(Files.readAllLines(b)).singleElement().satisfies(line -> assertThat(line.substring(29))
                .isEqualTo(Files.readAllLines(a).get(0).substring(29)).startsWith(" INFO  [").endsWith("] Daemon: a line 1"));
    }

    @Test
    void onlyTheShippedFilesAreSetUpWithoutJoran() throws Exception {
        assertThat(ShippedLogConfig.shippedName("logback.xml")).isEqualTo("logback.xml");
        assertThat(ShippedLogConfig.shippedName("logback-file.xml")).isEqualTo("logback-file.xml");
        assertThat(ShippedLogConfig.shippedName(null)).isNull();
        Path copy = dir.resolve("logback-file.xml");
        try (InputStream in = getClass().getResourceAsStream("/logback-file.xml")) {
            Files.write(copy, in.readAllBytes());
        }
        assertThat(ShippedLogConfig.shippedName(copy.toString())).isEqualTo("logback-file.xml");
        Files.writeString(copy, Files.readString(copy).replace("%-5level", "%level"));
        assertThat(ShippedLogConfig.shippedName(copy.toString())).as("an edited copy").isNull();
        Path other = dir.resolve("mine.xml");
        Files.writeString(other, "<configuration/>");
        assertThat(ShippedLogConfig.shippedName(other.toString())).isNull();
        assertThat(ShippedLogConfig.shippedName(dir.resolve("logback.xml").toString())).as("missing").isNull();
    }
}
