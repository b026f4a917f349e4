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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tells the operator, once, that a log file cannot be written (a full disk, an I/O error), and once more when it
 * can again. logback itself copes (lines are dropped while the file fails; it reopens the file and tries again as
 * lines come) but says so only to its internal status list, which nobody reads, and says "recovered" whenever a
 * line fits in its buffer, even if writing the buffer out then fails again. This listener on that status list
 * reports the first failure to syslog and standard error, where an operator looks when the log file is silent, and
 * the recovery only once no failure followed it for a moment ({@code settle}); then it also writes into the log
 * what was lost when.
 *
 * <p>Covers every file written through logback: the daemon log and the access log.
 */
final class LogFileFailures implements StatusListener {
    /** Where the reports go: syslog, standard error (tests replace it). */
    interface Reporter {
        void report(int severity, String message);
    }

    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final Reporter reporter;
    private final Consumer<String> afterRecovery;
    private final long settleNanos;
    private final Map<ResilientOutputStreamBase, Boolean> watched = Collections.synchronizedMap(new WeakHashMap<>());
    private ScheduledExecutorService timer;

    /**
     * @param afterRecovery given the line to write into the log once a file recovered (from a thread of its own)
     */
    LogFileFailures(Reporter reporter, Consumer<String> afterRecovery) {
        this(reporter, afterRecovery, SETTLE);
    }

    LogFileFailures(Reporter reporter, Consumer<String> afterRecovery, Duration settle) {
        this.reporter = reporter;
        this.afterRecovery = afterRecovery;
        this.settleNanos = settle.toNanos();
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

    private synchronized void schedule(Runnable task, long delayNanos) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "log-file-watch");
                t.setDaemon(true);
                return t;
            });
        }
        timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** One file's failures and recoveries (called by logback under the appender's lock, and by the timer). */
    private final class Watch implements RecoveryListener {
        private final String file;
        private boolean failing;
        private boolean checkPending;
        private long failedAt;
        private long lastFailure;
        private long lastRecovery;
        private String reason;

        Watch(ResilientOutputStreamBase stream) {
            this.file = fileOf(stream);
        }

        @Override
        public void newFailure(IOException e) {
            boolean report;
            synchronized (this) {
                lastFailure = System.nanoTime();
                report = !failing;
                if (report) {
                    failing = true;
                    failedAt = lastFailure;
                    reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
            }
            if (report) {
                reporter.report(Syslog.ERR, "cannot write " + file + ": " + reason + "; its lines are lost until "
                        + "it can be written again (said once, and once more when it can)");
            }
        }

        @Override
        public void recoveryOccured() {
            synchronized (this) {
                lastRecovery = System.nanoTime();
                if (!failing || checkPending) {
                    return;
                }
                checkPending = true;
            }
            schedule(this::check, settleNanos);
        }

        /** A while after logback said "recovered": true if no failure came since. */
        private void check() {
            long seconds;
            synchronized (this) {
                checkPending = false;
                if (!failing || lastFailure > lastRecovery) {
                    return; // failed again since: still failing (the next "recovered" checks again)
                }
                if (System.nanoTime() - lastRecovery < settleNanos) {
                    checkPending = true;
                    schedule(this::check, settleNanos);
                    return;
                }
                failing = false;
                seconds = Duration.ofNanos(lastRecovery - failedAt).toSeconds();
            }
            reporter.report(Syslog.NOTICE, file + " can be written again, after " + seconds + " s");
            afterRecovery.accept("could not write " + file + " for " + seconds + " s (" + reason + "): the lines "
                    + "of that time are lost");
        }
    }
}
