package org.jxenstored.daemon;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jxenstored.os.UnixSockets;

/**
 * One message to the local syslog ({@code /dev/log}: journald or rsyslog), as glibc's syslog(3) sends it, with
 * facility daemon and tag {@code jxenstored[PID]}. For the few things that must reach the operator when the daemon
 * log itself cannot be written (a full disk). {@code -Djxenstored.syslog=PATH} sends elsewhere (tests), {@code none}
 * nowhere.
 */
final class Syslog {
    static final int ERR = 3;
    static final int WARNING = 4;
    static final int NOTICE = 5;
    private static final int FACILITY_DAEMON = 3 << 3;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private Syslog() {
    }

    static String address() {
        return System.getProperty("jxenstored.syslog", "/dev/log");
    }

    /** Sends {@code message}; null when sent, else why not. */
    static String send(int severity, String message) {
        String address = address();
        if (address.isEmpty() || "none".equals(address)) {
            return "syslog off";
        }
        String line = "<" + (FACILITY_DAEMON | severity) + ">" + STAMP.format(LocalDateTime.now()) + " jxenstored["
                + ProcessHandle.current().pid() + "]: " + message;
        return UnixSockets.sendDatagram(address, line.getBytes(StandardCharsets.UTF_8));
    }
}
