package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A log file that cannot be written (here: its path leads to /dev/full, where every write fails with ENOSPC, as on
 * a full disk) is reported once, however many lines are lost, and its recovery once more, with a line in the log
 * saying what was lost when.
 */
class LogFileFailuresTest {
    private Path dir;
    private Path logFile;
    private Path realFile;
    private LoggerContext ctx;
    private final List<String> reports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxsl");
        logFile = dir.resolve("daemon.log");
        realFile = dir.resolve("real.log");
        Files.createSymbolicLink(logFile, Path.of("/dev/full"));
        ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        FileAppender<ILoggingEvent> a = new FileAppender<>();
        a.setContext(ctx);
        a.setFile(logFile.toString());
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern("%msg%n");
        e.start();
        a.setEncoder(e);
        a.start();
        assertThat(a.isStarted()).isTrue();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(a);
        ctx.getStatusManager().add(new LogFileFailures((severity, message) -> reports.add(severity + " " + message),
                line -> ctx.getLogger(LogSetup.class).warn(line), java.time.Duration.ofMillis(300)));
    }

    @AfterEach
    void tearDown() throws Exception {
        ctx.stop();
        try (var s = Files.list(dir)) {
            s.forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void aFullDiskIsReportedOnceAndItsRecoveryOnce() throws Exception {
        Logger log = ctx.getLogger("test");
        for (int i = 0; i < 2000; i++) {
            log.info("line {} lost", i);
        }
        assertThat(reports).containsExactly(Syslog.ERR + " cannot write " + logFile + ": No space left on device; "
                + "its lines are lost until it can be written again (said once, and once more when it can)");
        // space again: the path now leads to a real file (logback reopens the path when it retries)
        Files.delete(logFile);
        Files.createSymbolicLink(logFile, realFile);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (reports.size() < 2 && System.nanoTime() < deadline) {
            log.info("a line after the disk has space again");
            Thread.sleep(20);
        }
        assertThat(reports).hasSize(2).last().asString().startsWith(Syslog.NOTICE + " " + logFile
                + " can be written again, after ");
        while (!Files.readString(realFile).contains("could not write") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(realFile)).contains("a line after the disk has space again")
                .containsPattern("could not write " + logFile + " for \\d+ s \\(No space left on device\\): the lines "
                        + "of that time are lost");
    }
}
