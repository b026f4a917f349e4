package org.jxenstored.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.jxenstored.server.TrafficObserver;
import org.slf4j.LoggerFactory;

/**
 * The access log, in the spirit of oxenstored's xenstored-access.log: one line per connection, served request
 * (with its result) and watch event, written through logback to a file that rotates by size (and optionally by
 * line count) as FILE.1 ... FILE.n, created with mode 0600 (it holds what guests wrote). Switched on and off at
 * run time ({@code XS_CONTROL log on|off}, {@code logfile}); while off it is not installed as the server's observer
 * and costs nothing.
 *
 * <p>Line format (after the time stamp, local time with its UTC offset): {@code <conn>[.<tx>] d<domid> <operation>
 * <arguments> -> <result>}, e.g. {@code [2025-01-01T11:00:00.000+01:00] A3 d0 write /tool/x hello -> OK}. Arguments have NULs shown as spaces,
 * other unprintable bytes as {@code \xNN}, and are cut to {@code access-log-nb-chars}. READ values are not logged.
 *
 * <p>All methods run on the store thread (the observer callbacks, the control commands, SIGHUP posted there), or
 * after it stopped.
 */
public final class AccessLog implements TrafficObserver {
    public static final String LOGGER = "org.jxenstored.access";
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    /**
     * The time stamp of both logs, the daemon log's (logback.xml) and this one: ISO 8601, local time with its offset
     * from UTC ({@code 2025-01-01T11:00:00.000+01:00}), unambiguous across time zones and daylight saving changes.
     */
    public static final String TIMESTAMP = "yyyy-MM-dd'T'HH:mm:ss.SSSxxx";
    /** {@code [2025-01-01T11:00:00.000+01:00] } */
    private static final int PREFIX_BYTES = 32;

    private final AccessLogSettings settings;
    private final Server server;
    private final LoggerContext context;
    private final Logger logger;
    private RollingFileAppender<ILoggingEvent> appender;
    private SizeOrLinesTriggeringPolicy<ILoggingEvent> policy;
    private boolean enabled;

    public AccessLog(AccessLogSettings settings, Server server) {
        this.settings = settings.copy();
        this.server = server;
        this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.logger = context.getLogger(LOGGER);
    }

    /** Opens the log if the settings say it is on. */
    public void start() {
        if (settings.enabled) {
            String problem = setEnabled(true);
            if (problem != null) {
                LOG.error("access log: {}", problem);
            }
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public Path file() {
        return settings.file;
    }

    /** Switches the log on or off; null when done, else what went wrong (the log stays off). */
    public String setEnabled(boolean on) {
        if (on == enabled) {
            return null;
        }
        if (on) {
            String problem = open();
            if (problem != null) {
                return problem;
            }
            enabled = true;
            server.setObserver(this);
            LOG.info("access log on: {}", settings.file);
        } else {
            server.setObserver(TrafficObserver.NONE);
            enabled = false;
            close();
            LOG.info("access log off");
        }
        return null;
    }

    /**
     * The log's switches, in order, and whether each is on ({@code XS_CONTROL log}): {@code read} (READ,
     * DIRECTORY, DIRECTORY_PART, GET_PERMS), {@code trans} (TRANSACTION_START, TRANSACTION_END), {@code special}
     * (the domain requests); the {@code access-log-*-ops} settings. Other requests and errors are always logged.
     */
    public LinkedHashMap<String, Boolean> switches() {
        LinkedHashMap<String, Boolean> m = new LinkedHashMap<>();
        m.put("read", settings.readOps);
        m.put("trans", settings.transactionOps);
        m.put("special", settings.specialOps);
        return m;
    }

    /** Sets one of {@link #switches()}; false if there is no such switch. */
    public boolean setSwitch(String name, boolean on) {
        switch (name) {
            case "read":
                settings.readOps = on;
                return true;
            case "trans":
                settings.transactionOps = on;
                return true;
            case "special":
                settings.specialOps = on;
                return true;
            default:
                return false;
        }
    }

    /** Moves the log to {@code file} and switches it on (as C's {@code logfile}); null when done, else why not. */
    public String setFile(Path file) {
        Path old = settings.file;
        boolean wasOn = enabled;
        setEnabled(false);
        settings.file = file;
        String problem = setEnabled(true);
        if (problem != null) {
            settings.file = old;
            if (wasOn) {
                setEnabled(true);
            }
        }
        return problem;
    }

    /**
     * What an operator may have changed at run time ({@code xenstore-control log}, {@code logfile}), for a
     * live-update successor: keys {@code access-log} (on/off), {@code access-log-file}, {@code access-log-<switch>}.
     */
    public Map<String, String> handoverState() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("access-log", enabled ? "on" : "off");
        m.put("access-log-file", settings.file.toString());
        switches().forEach((name, on) -> m.put("access-log-" + name, on ? "on" : "off"));
        return m;
    }

    /** Takes over a predecessor's {@link #handoverState()}: its switches, file, and whether the log is on. */
    public void takeOver(Map<String, String> state) {
        switches().keySet().forEach(name -> {
            String v = state.get("access-log-" + name);
            if (v != null) {
                setSwitch(name, "on".equals(v));
            }
        });
        String file = state.get("access-log-file");
        if (file != null && !Path.of(file).equals(settings.file)) {
            setEnabled(false);
            settings.file = Path.of(file);
        }
        String on = state.get("access-log");
        if (on != null) {
            String problem = setEnabled("on".equals(on));
            if (problem != null) {
                LOG.error("access log, as the predecessor had it: {}", problem);
            }
        }
    }

    /** Closes and reopens the file (SIGHUP, after an external logrotate moved it). */
    public void reopen() {
        if (enabled) {
            close();
            String problem = open();
            if (problem != null) {
                LOG.error("access log: reopening failed, switching it off: {}", problem);
                server.setObserver(TrafficObserver.NONE);
                enabled = false;
            }
        }
    }

    /** Flushes and closes (daemon stop). */
    public void stop() {
        setEnabled(false);
    }

    private String open() {
        // new files 0600: the log holds what guests wrote
        RollingFileAppender<ILoggingEvent> a = new PrivateRollingFileAppender<>();
        a.setContext(context);
        a.setName("ACCESS");
        a.setFile(settings.file.toString());
        a.setAppend(true);
        a.setImmediateFlush(settings.immediateFlush);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("[%d{" + TIMESTAMP + "}] %msg%n");
        encoder.setCharset(StandardCharsets.ISO_8859_1);
        encoder.start();
        a.setEncoder(encoder);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(a);
        rolling.setFileNamePattern(settings.file.toString().replace("%", "\\%") + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(Math.max(1, settings.files));
        rolling.start();
        a.setRollingPolicy(rolling);
        SizeOrLinesTriggeringPolicy<ILoggingEvent> p = new SizeOrLinesTriggeringPolicy<>(settings.maxSize,
                settings.maxLines);
        p.setContext(context);
        p.start();
        a.setTriggeringPolicy(p);
        a.start();
        if (!a.isStarted()) {
            return "cannot open " + settings.file + " (see the daemon log)";
        }
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(a);
        appender = a;
        policy = p;
        return null;
    }

    private void close() {
        if (appender != null) {
            logger.detachAppender(appender);
            logger.setLevel(Level.OFF);
            appender.stop();
            appender = null;
            policy = null;
        }
    }

    // ------------------------------------------------------------------------------------------------- writing

    /** Writes one line (already formatted, without timestamp). */
    void write(String line) {
        if (appender == null) {
            return;
        }
        policy.nextLineBytes(PREFIX_BYTES + line.length() + 1);
        logger.info(line);
    }

    /** An operator's marker ({@code XS_CONTROL print}). */
    public void note(String text) {
        if (enabled) {
            write("-        -      print             " + sanitize(text.getBytes(StandardCharsets.ISO_8859_1), 0));
        }
    }

    @Override
    public void connected(Connection c) {
        try {
            write(head(c, 0) + "newconn           " + c.describe());
        } catch (RuntimeException e) {
            // never let logging break serving
        }
    }

    @Override
    public void disconnected(Connection c) {
        try {
            write(head(c, 0) + "endconn           " + c.describe());
        } catch (RuntimeException e) {
            // never let logging break serving
        }
    }

    @Override
    public void served(Connection c, XsMessage request, XsMessage reply) {
        try {
            XsType type = request.knownType();
            boolean error = reply.type == XsType.ERROR.code;
            String result = error ? errorName(reply.payload) : "OK";
            if (!wanted(type) && (!error || "ENOENT".equals(result))) {
                return;
            }
            if (!error && (type == XsType.TRANSACTION_START || type == XsType.IS_DOMAIN_INTRODUCED)) {
                result = "OK " + sanitize(reply.payload, 0);
            }
            StringBuilder sb = new StringBuilder(96);
            sb.append(head(c, request.txId));
            String op = type == null ? "type" + Integer.toUnsignedString(request.type) : opName(type);
            sb.append(op);
            for (int i = op.length(); i < 17; i++) {
                sb.append(' ');
            }
            sb.append(' ').append(sanitize(request.payload, settings.maxChars)).append(" -> ").append(result);
            write(sb.toString());
        } catch (RuntimeException e) {
            // never let logging break serving
        }
    }

    @Override
    public void event(Connection c, byte[] payload) {
        try {
            write(head(c, 0) + "watch event       " + sanitize(payload, settings.maxChars));
        } catch (RuntimeException e) {
            // never let logging break serving
        }
    }

    private boolean wanted(XsType type) {
        if (type == null) {
            return true;
        }
        switch (type.group) {
            case READ:
                return settings.readOps;
            case TRANSACTION:
                return settings.transactionOps;
            case DOMAIN:
                return settings.specialOps;
            default:
                return true;
        }
    }

    private static String head(Connection c, int txId) {
        String conn = ConnectionNames.of(c);
        if (txId != 0) {
            conn = conn + "." + Integer.toUnsignedString(txId);
        }
        StringBuilder sb = new StringBuilder(32).append(conn);
        do {
            sb.append(' ');
        } while (sb.length() < 9);
        int start = sb.length();
        sb.append('d').append(c.domid());
        do {
            sb.append(' ');
        } while (sb.length() - start < 7);
        return sb.toString();
    }

    private static final String[] OP_NAMES = new String[XsType.values().length];

    static {
        for (XsType t : XsType.values()) {
            OP_NAMES[t.ordinal()] = t.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    private static String opName(XsType t) {
        return OP_NAMES[t.ordinal()];
    }

    private static String errorName(byte[] payload) {
        int n = payload.length;
        while (n > 0 && payload[n - 1] == 0) {
            n--;
        }
        return new String(payload, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** NULs as spaces (trailing ones dropped), other unprintable bytes as \xNN, cut to {@code max} (0: no cut). */
    static String sanitize(byte[] b, int max) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) {
            n--;
        }
        StringBuilder sb = new StringBuilder(Math.min(n, max > 0 ? max + 2 : n) + 8);
        for (int i = 0; i < n; i++) {
            if (max > 0 && sb.length() >= max) {
                sb.setLength(Math.max(0, max - 2));
                sb.append("..");
                break;
            }
            int c = b[i] & 0xff;
            if (c == 0) {
                sb.append(' ');
            } else if (c < 0x20 || c >= 0x7f || c == '\\') {
                sb.append(c == '\\' ? "\\\\" : String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
