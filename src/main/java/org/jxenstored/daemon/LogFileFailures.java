package org.jxenstored.daemon;

import ch.qos.logback.core.recovery.RecoveryListener;
import ch.qos.logback.core.recovery.ResilientFileOutputStream;
import ch.qos.logback.core.recovery.ResilientOutputStreamBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * Tells the operator, once, that a log file cannot be written (a full disk, an I/O error), and once more when it
 * can again. logback itself copes (lines are dropped while the file fails, and it reopens the file with a growing
 * back-off, 20 ms up to about 5 minutes, until a write succeeds) but says so only to its internal status list,
 * which nobody reads. This listener on that list reports to syslog and standard error, where an operator looks
 * when the log file is silent, and, after recovery, writes into the log what was lost when.
 *
 * <p>Covers every file written through logback: the daemon log and the access log.
 */
final class LogFileFailures implements StatusListener {
    /** Where the reports go: syslog, standard error (tests replace it). */
    interface Reporter {
        void report(int severity, String message);
    }

    private final Reporter reporter;
    private final Consumer<String> afterRecovery;
    private final Map<ResilientOutputStreamBase, Boolean> watched = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param afterRecovery given the line to write into the log once a file recovered (called on a thread of its
     *     own: logback drops what an appender logs while it is writing)
     */
    LogFileFailures(Reporter reporter, Consumer<String> afterRecovery) {
        this.reporter = reporter;
        this.afterRecovery = afterRecovery;
    }

    /** Reports to syslog and to {@code err}. */
    static Reporter syslogAndStderr(PrintStream err) {
        return (severity, message) -> {
            err.println("jxenstored: " + message);
            err.flush();
            Syslog.send(severity, message);
        };
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getLevel() != Status.ERROR || !(status.getOrigin() instanceof ResilientOutputStreamBase)) {
            return;
        }
        ResilientOutputStreamBase stream = (ResilientOutputStreamBase) status.getOrigin();
        if (watched.putIfAbsent(stream, Boolean.TRUE) == null) {
            // logback calls newFailure right after this status, for this failure and every later one
            stream.addRecoveryListener(new Watch(stream));
        }
    }

    private static String fileOf(ResilientOutputStreamBase stream) {
        if (stream instanceof ResilientFileOutputStream) {
            return ((ResilientFileOutputStream) stream).getFile().getPath();
        }
        return stream.toString();
    }

    /** One file's failures and recoveries. */
    private final class Watch implements RecoveryListener {
        private final String file;
        private long failedAt;
        private String reason;

        Watch(ResilientOutputStreamBase stream) {
            this.file = fileOf(stream);
        }

        @Override
        public void newFailure(IOException e) {
            failedAt = System.nanoTime();
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            reporter.report(Syslog.ERR, "cannot write " + file + ": " + reason + "; its lines are lost until it "
                    + "can be written again (said once; retried with a back-off of up to 5 minutes)");
        }

        @Override
        public void recoveryOccured() {
            long seconds = Duration.ofNanos(System.nanoTime() - failedAt).toSeconds();
            reporter.report(Syslog.NOTICE, file + " can be written again, after " + seconds + " s");
            String line = "could not write " + file + " for " + seconds + " s (" + reason + "): the lines of that "
                    + "time are lost";
            Thread t = new Thread(() -> afterRecovery.accept(line), "log-recovered");
            t.setDaemon(true);
            t.start();
        }
    }
}
