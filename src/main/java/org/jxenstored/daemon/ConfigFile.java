package org.jxenstored.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import org.jxenstored.server.Limits;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.store.Paths;

/**
 * The configuration file: {@code key = value} lines, {@code #} comments, as oxenstored.conf. Accepts oxenstored's
 * keys where jxenstored does the same thing, and its own (see conf/jxenstored.conf and docs/operations.md). An
 * invalid value is a {@link ConfigException} naming the file, line and key; an unknown key is a warning (as in
 * oxenstored), an error with {@code strict}.
 */
public final class ConfigFile {
    /** Keys whose value is accepted and has no effect in jxenstored (documented). */
    static final Set<String> ACCEPTED_WITHOUT_EFFECT = Set.of("merge-activate", "conflict-burst-limit",
            "conflict-max-history-seconds", "conflict-rate-limit-is-aggregate", "gc-max-overhead",
            "xenstored-log-nb-lines", "xenstored-log-nb-chars");

    @FunctionalInterface
    private interface Setter {
        void apply(DaemonConfig c, String value, Flags flags);
    }

    /** State that applies only once the whole file is read. */
    private static final class Flags {
        boolean quotaActivate = true;
        /** {@code access-log-activate} given: it decides whether the access log is on. */
        Boolean accessLogActivate;
        /** {@code access-log-file} given: without {@code access-log-activate}, the access log is on (oxenstored). */
        boolean accessLogFile;
        /** {@code access-log-nb-files = 0}: no access log whatever else says (oxenstored). */
        boolean accessLogNoFiles;
    }

    private static final Map<String, Setter> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("pid-file", (c, v, f) -> c.pidFile = path(v));
        // access log
        KEYS.put("access-log-activate", (c, v, f) -> f.accessLogActivate = bool(v));
        KEYS.put("access-log-file", (c, v, f) -> {
            c.accessLog.file = fileDestination(v);
            f.accessLogFile = true;
        });
        KEYS.put("access-log-nb-files", (c, v, f) -> {
            int n = intIn(v, 0, 20);
            f.accessLogNoFiles = n == 0; // oxenstored: no files, no access log
            if (n > 0) {
                c.accessLog.files = n;
            }
        });
        KEYS.put("access-log-nb-lines", (c, v, f) -> c.accessLog.maxLines = longAtLeast0(v));
        KEYS.put("access-log-nb-chars", (c, v, f) -> c.accessLog.maxChars = intIn(v, 0, Integer.MAX_VALUE));
        KEYS.put("access-log-max-size", (c, v, f) -> c.accessLog.maxSize = size(v));
        KEYS.put("access-log-read-ops", (c, v, f) -> c.accessLog.readOps = bool(v));
        KEYS.put("access-log-transactions-ops", (c, v, f) -> c.accessLog.transactionOps = bool(v));
        KEYS.put("access-log-special-ops", (c, v, f) -> c.accessLog.specialOps = bool(v));
        KEYS.put("access-log-flush", (c, v, f) -> c.accessLog.immediateFlush = bool(v));
        // daemon log
        KEYS.put("xenstored-log-file", (c, v, f) -> c.logFile = "stderr".equals(v) ? null : fileDestination(v));
        KEYS.put("xenstored-log-level", (c, v, f) -> c.logLevel = logLevel(v));
        KEYS.put("xenstored-log-nb-files", (c, v, f) -> c.logFiles = intIn(v, 1, 20));
        KEYS.put("xenstored-log-max-size", (c, v, f) -> c.logMaxSize = size(v));
        // permissions: always enforced
        KEYS.put("perms-activate", (c, v, f) -> mustBe(v, true, "permissions are always enforced"));
        KEYS.put("perms-watch-activate", (c, v, f) -> mustBe(v, true,
                "watch events are always filtered by permissions (XSA-115)"));
        // quotas (oxenstored names, then C xenstored's that oxenstored lacks)
        KEYS.put("quota-activate", (c, v, f) -> f.quotaActivate = bool(v));
        for (QuotaKind q : QuotaKind.values()) {
            KEYS.put(q.confKey, quota(q));
            if (q.confAlias != null) {
                KEYS.put(q.confAlias, quota(q));
            }
        }
        KEYS.put("quota-maxwatchevents", (c, v, f) -> c.limits.pendingEventsPerConnection = intIn(v, 0,
                Integer.MAX_VALUE));
        KEYS.put("quota-privileged", (c, v, f) -> c.limits.privilegedExempt = !bool(v));
        KEYS.put("write-rate-limit", (c, v, f) -> c.limits.writeRatePerSecond = intIn(v, 0, 1_000_000));
        KEYS.put("write-rate-burst", (c, v, f) -> c.limits.writeBurst = intIn(v, 1, 1_000_000));
        KEYS.put("watch-event-timeout", (c, v, f) -> c.limits.watchEventTimeoutMillis = intIn(v, 0, 86_400) * 1000L);
        // domains and rings (read by the domain layer)
        KEYS.put("keep-orphans", (c, v, f) -> c.keepOrphans = bool(v));
        KEYS.put("xenstored-kva", (c, v, f) -> c.xenstoredKva = path(v));
        KEYS.put("xenstored-port", (c, v, f) -> c.xenstoredPort = path(v));
        KEYS.put("state-dir", (c, v, f) -> c.stateDir = "none".equals(v) ? null : Path.of(v));
        KEYS.put("ring-scan-interval", (c, v, f) -> c.ringScanIntervalSeconds = intIn(v, -1, 86_400));
        // statistics
        KEYS.put("stats-prometheus-file", (c, v, f) -> c.statsFile = path(v));
        KEYS.put("stats-prometheus-interval", (c, v, f) -> c.statsFileIntervalSeconds = intIn(v, 1, 3600));
        // oxenstored features jxenstored does not have
        KEYS.put("test-eagain", (c, v, f) -> mustBe(v, false, "random EAGAIN injection is not supported"));
        KEYS.put("persistent", (c, v, f) -> mustBe(v, false, "the store is in memory only"));
        KEYS.put("allow-debug", (c, v, f) -> mustBe(v, false, "XS_CONTROL is for privileged connections only"));
        KEYS.put("merge-activate", (c, v, f) -> bool(v));
        KEYS.put("conflict-burst-limit", (c, v, f) -> number(v));
        KEYS.put("conflict-max-history-seconds", (c, v, f) -> number(v));
        KEYS.put("conflict-rate-limit-is-aggregate", (c, v, f) -> bool(v));
        KEYS.put("gc-max-overhead", (c, v, f) -> intIn(v, 0, Integer.MAX_VALUE));
        KEYS.put("xenstored-log-nb-lines", (c, v, f) -> longAtLeast0(v));
        KEYS.put("xenstored-log-nb-chars", (c, v, f) -> intIn(v, -1, Integer.MAX_VALUE));
    }

    private ConfigFile() {
    }

    /** The keys this version understands. */
    public static Set<String> keys() {
        return Collections.unmodifiableSet(KEYS.keySet());
    }

    /**
     * Applies the file to {@code config}.
     *
     * @return warnings (unknown keys), each naming file and line
     * @throws ConfigException for an unreadable file, a malformed line or an invalid value (or, with
     *     {@code strict}, an unknown key)
     */
    public static List<String> apply(Path file, DaemonConfig config, boolean strict) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file: " + e.getMessage());
        }
        return apply(file.toString(), lines, config, strict);
    }

    static List<String> apply(String name, List<String> lines, DaemonConfig config, boolean strict)
            throws ConfigException {
        List<String> warnings = new ArrayList<>();
        Flags flags = new Flags();
        for (int i = 0; i < lines.size(); i++) {
            String where = name + ":" + (i + 1);
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(where + ": expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            Setter setter = KEYS.get(key);
            if (setter == null) {
                String msg = where + ": unknown key '" + key + "'";
                if (strict) {
                    throw new ConfigException(msg);
                }
                warnings.add(msg + " (ignored)");
                continue;
            }
            try {
                setter.apply(config, value, flags);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + key + ": invalid value '" + value + "' (" + e.getMessage()
                        + ")");
            }
            if (ACCEPTED_WITHOUT_EFFECT.contains(key) && !config.keysWithoutEffect.contains(key)) {
                config.keysWithoutEffect.add(key);
            }
        }
        if (!flags.quotaActivate) {
            disableQuotas(config.limits);
        }
        // The access log as oxenstored decides it (on wherever access-log-file names a file), unless
        // jxenstored's own access-log-activate says otherwise; no files means no access log.
        if (flags.accessLogActivate != null) {
            config.accessLog.enabled = flags.accessLogActivate;
        } else if (flags.accessLogFile) {
            config.accessLog.enabled = true;
        }
        if (flags.accessLogNoFiles) {
            config.accessLog.enabled = false;
        }
        return warnings;
    }

    /** oxenstored's {@code quota-activate = false}: every quota unlimited. */
    static void disableQuotas(Limits l) {
        for (QuotaKind q : QuotaKind.values()) {
            if (q != QuotaKind.PATH_MAX) { // a path length, not a quota oxenstored switches off
                l.set(q, 0);
            }
        }
    }

    private static String stripComment(String line) {
        String t = line.stripLeading();
        if (t.startsWith("#")) {
            return "";
        }
        for (int i = 1; i < line.length(); i++) {
            if (line.charAt(i) == '#' && Character.isWhitespace(line.charAt(i - 1))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static Setter quota(QuotaKind q) {
        return (c, v, f) -> c.limits.set(q, q.bounded(intIn(v, 0, Integer.MAX_VALUE)));
    }

    // ---------------------------------------------------------------------------------------------- value parsers

    static boolean bool(String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1":
                return true;
            case "false": case "no": case "off": case "0":
                return false;
            default:
                throw new IllegalArgumentException("expected true or false");
        }
    }

    private static void mustBe(String v, boolean expected, String why) {
        if (bool(v) != expected) {
            throw new IllegalArgumentException("only " + expected + " is supported: " + why);
        }
    }

    static int intIn(String v, int min, int max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("expected an integer from " + min + " to " + max);
        }
        return (int) n;
    }

    private static long longAtLeast0(String v) {
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("expected a non-negative integer");
    }

    private static double number(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number");
        }
    }

    /** Bytes, with an optional k, M or G suffix (powers of 1024). */
    static long size(String v) {
        String s = v.strip();
        long unit = 1;
        if (!s.isEmpty()) {
            switch (Character.toLowerCase(s.charAt(s.length() - 1))) {
                case 'k': unit = 1L << 10; break;
                case 'm': unit = 1L << 20; break;
                case 'g': unit = 1L << 30; break;
                default: break;
            }
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            if (n >= 0 && n <= Long.MAX_VALUE / unit) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("expected a size in bytes, e.g. 1048576, 512k, 10M");
    }

    private static Path path(String v) {
        if (v.isEmpty() || v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("expected a file path");
        }
        return Path.of(v);
    }

    private static Path fileDestination(String v) {
        if (v.startsWith("syslog:")) {
            throw new IllegalArgumentException("syslog destinations are not supported: name a file");
        }
        return path(v);
    }

    static String logLevel(String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "trace": return "TRACE";
            case "debug": return "DEBUG";
            case "info": return "INFO";
            case "warn": case "warning": return "WARN";
            case "error": return "ERROR";
            case "null": case "off": return "OFF";
            default: throw new IllegalArgumentException("expected debug, info, warn, error or null");
        }
    }
}
