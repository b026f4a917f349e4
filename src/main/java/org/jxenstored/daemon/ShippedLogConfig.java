package org.jxenstored.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sets up the daemon log exactly as the configuration files shipped with jxenstored say ({@code logback.xml},
 * {@code logback-file.xml}), without logback's XML configurator. Joran and the JDK's XML parser it needs were about
 * 600 classes loaded at every start, 0.15-0.25 s of the start-up (the outage of a crash restart or a live update)
 * and a few MB of class data (docs/performance.md, "Issue 17").
 *
 * <p>Used only when the configuration logback is about to read ({@code logback.configurationFile}, which
 * {@link LogSetup#prepare} sets) is one of the shipped ones: the jar's own copy, or a file with the very same bytes
 * (the unedited copy the package installs in /etc/jxenstored). Anything else, an operator's edited copy included,
 * goes to Joran as before. Used by the daemon's SLF4J binding, {@link DaemonLogProvider}.
 */
public final class ShippedLogConfig {
    /** The pattern of both shipped files. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSxxx} %-5level [%thread] %logger{0}: %msg%n";
    static final String STDERR_CONFIG = "logback.xml";
    static final String FILE_CONFIG = "logback-file.xml";
    private static final String DEFAULT_FILE = "/var/log/xen/jxenstored.log";

    private ShippedLogConfig() {
    }

    /**
     * The shipped configuration {@code configuration} is (its resource name), or null: not set, not readable, or
     * different from the shipped one.
     */
    static String shippedName(String configuration) {
        if (configuration == null) {
            return null;
        }
        if (configuration.equals(STDERR_CONFIG) || configuration.equals(FILE_CONFIG)) {
            return configuration; // the jar's own copy
        }
        Path p = Path.of(configuration);
        Path name = p.getFileName();
        if (name == null || !(name.toString().equals(STDERR_CONFIG) || name.toString().equals(FILE_CONFIG))) {
            return null;
        }
        try (InputStream own = ShippedLogConfig.class.getResourceAsStream("/" + name)) {
            return own != null && Arrays.equals(own.readAllBytes(), Files.readAllBytes(p)) ? name.toString() : null;
        } catch (IOException | RuntimeException e) {
            return null; // Joran will say what is wrong with it
        }
    }

    /** What Joran makes of the shipped file {@code shipped}, done directly. */
    static void apply(LoggerContext ctx, String shipped) {
        OutputStreamAppender<ILoggingEvent> appender = shipped.equals(FILE_CONFIG) ? fileAppender(ctx)
                : stderrAppender(ctx);
        Logger access = ctx.getLogger("org.jxenstored.access");
        access.setLevel(Level.OFF);
        access.setAdditive(false);
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        // as Joran reads <root level="...">: an unknown name is DEBUG
        root.setLevel(Level.toLevel(property(ctx, LogSetup.LEVEL, "INFO"), Level.DEBUG));
        root.addAppender(appender);
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private static OutputStreamAppender<ILoggingEvent> stderrAppender(LoggerContext ctx) {
        ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
        a.setContext(ctx);
        a.setName("STDERR");
        a.setTarget("System.err");
        a.setEncoder(encoder(ctx));
        a.start();
        return a;
    }

    private static OutputStreamAppender<ILoggingEvent> fileAppender(LoggerContext ctx) {
        String file = property(ctx, LogSetup.FILE, DEFAULT_FILE);
        RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
        a.setContext(ctx);
        a.setName("FILE");
        a.setFile(file);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(a);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(Integer.parseInt(property(ctx, LogSetup.FILES, "10").strip()));
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(FileSize.valueOf(property(ctx, LogSetup.MAX_SIZE, "10485760")));
        trigger.start();
        a.setRollingPolicy(rolling);
        a.setTriggeringPolicy(trigger);
        a.setEncoder(encoder(ctx));
        a.start();
        return a;
    }

    /** As Joran substitutes {@code ${name:-default}}: the context's property, else the system property. */
    private static String property(LoggerContext ctx, String name, String fallback) {
        String v = ctx.getProperty(name);
        if (v == null) {
            v = System.getProperty(name);
        }
        return v == null ? fallback : v;
    }
}
