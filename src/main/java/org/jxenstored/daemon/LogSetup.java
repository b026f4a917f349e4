package org.jxenstored.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The daemon log (logback). In the foreground it goes to standard error (logback.xml), detached or with
 * {@code xenstored-log-file} set to a size-rotated file (logback-file.xml): the copy in the configuration directory
 * ({@code -Djxenstored.conf.dir}, set by the launcher) if there is one, else the one in the jar, unless
 * {@code -Dlogback.configurationFile} names another. The configurations read the system properties set here from
 * jxenstored.conf and the command line: {@code jxenstored.log.file}, {@code jxenstored.log.level},
 * {@code jxenstored.log.nb-files}, {@code jxenstored.log.max-size}.
 */
public final class LogSetup {
    /** logback's own property: which configuration to read. */
    public static final String CONFIGURATION = "logback.configurationFile";
    /** SLF4J's property: which binding to use (the daemon's own, {@link DaemonLogProvider}). */
    static final String PROVIDER = "slf4j.provider";
    private static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";
    /** Where the launcher says the configuration files are (/etc/jxenstored, or conf/ in a source tree). */
    public static final String CONF_DIR = "jxenstored.conf.dir";
    public static final String FILE = "jxenstored.log.file";
    public static final String LEVEL = "jxenstored.log.level";
    public static final String FILES = "jxenstored.log.nb-files";
    public static final String MAX_SIZE = "jxenstored.log.max-size";

    private LogSetup() {
    }

    /**
     * Sets the logging properties from the configuration. Must run before the first logger is created (logback
     * reads its configuration then).
     *
     * @param detached whether the launcher detached the daemon (then the log goes to a file by default)
     * @return whether the daemon log goes to a file (else to standard error)
     */
    static boolean prepare(DaemonConfig config, boolean detached) {
        Path file = config.logFile;
        if (file == null && detached) {
            file = DaemonConfig.DEFAULT_LOG_FILE;
        }
        String configName = file != null ? "logback-file.xml" : "logback.xml";
        if (file != null) {
            System.setProperty(FILE, file.toString());
        }
        System.setProperty(LEVEL, config.logLevel);
        System.setProperty(FILES, Integer.toString(config.logFiles));
        System.setProperty(MAX_SIZE, Long.toString(config.logMaxSize));
        if (System.getProperty(CONFIGURATION) == null) {
            // the operator's copy in the configuration directory, else the one in the jar
            String dir = System.getProperty(CONF_DIR);
            Path own = dir == null ? null : Path.of(dir, configName);
            System.setProperty(CONFIGURATION, own != null && Files.isReadable(own) ? own.toString() : configName);
        }
        if (System.getProperty(PROVIDER) == null) {
            System.setProperty(PROVIDER, DaemonLogProvider.class.getName());
            if (System.getProperty(SLF4J_VERBOSITY) == null) {
                System.setProperty(SLF4J_VERBOSITY, "WARN"); // not a line on standard error about the choice
            }
        }
        LoggerContext ctx = context(); // logback reads its configuration now
        if (ctx != null) {
            quietLibraries(ctx, config.logLevel);
            watchFileFailures(ctx, LogFileFailures.syslogAndStderr(System.err));
        }
        return file != null;
    }

    /**
     * At debug level ({@code -V}, {@code xenstored-log-level = debug}) the daemon's own loggers say more, but Netty's
     * stay at INFO: they would print dozens of lines about its platform probing at start-up and more per connection.
     * A logger for {@code io.netty} in the logback configuration overrides this.
     */
    static void quietLibraries(LoggerContext ctx, String level) {
        Level l = Level.toLevel(level, Level.INFO);
        if (l.toInt() < Level.INFO_INT) {
            Logger netty = ctx.getLogger("io.netty");
            if (netty.getLevel() == null) {
                netty.setLevel(Level.INFO);
            }
        }
    }

    /** Reports, once each, a log file that cannot be written and its recovery (see {@link LogFileFailures}). */
    static LogFileFailures watchFileFailures(LoggerContext ctx, LogFileFailures.Reporter reporter) {
        LogFileFailures f = new LogFileFailures(reporter,
                line -> ctx.getLogger(LogSetup.class).warn(line));
        ctx.getStatusManager().add(f);
        return f;
    }

    private static LoggerContext context() {
        ILoggerFactory f = LoggerFactory.getILoggerFactory();
        return f instanceof LoggerContext ? (LoggerContext) f : null;
    }

    /** Closes and reopens every file the daemon log writes to (SIGHUP, after logrotate moved them). */
    public static void reopenFiles(String except) {
        LoggerContext ctx = context();
        if (ctx == null) {
            return;
        }
        for (Logger logger : ctx.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> a = it.next();
                if (a instanceof FileAppender && a.isStarted() && !logger.getName().equals(except)) {
                    restart((FileAppender<ILoggingEvent>) a);
                }
            }
        }
    }

    private static void restart(FileAppender<ILoggingEvent> a) {
        a.stop();
        if (a instanceof RollingFileAppender) {
            RollingFileAppender<ILoggingEvent> r = (RollingFileAppender<ILoggingEvent>) a;
            if (r.getRollingPolicy() != null && !r.getRollingPolicy().isStarted()) {
                r.getRollingPolicy().start();
            }
            if (r.getTriggeringPolicy() != null && !r.getTriggeringPolicy().isStarted()) {
                r.getTriggeringPolicy().start();
            }
        }
        a.start();
    }

    /** Flushes and closes the daemon log (the last thing the daemon does). */
    public static void shutdown() {
        LoggerContext ctx = context();
        if (ctx != null) {
            ctx.stop();
        }
    }
}
