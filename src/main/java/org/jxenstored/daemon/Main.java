package org.jxenstored.daemon;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.store.Paths;

/**
 * The command line of jxenstored: C xenstored's options (what Xen's launch-xenstore and XENSTORED_ARGS pass),
 * oxenstored's {@code --config-file} and {@code --config-test}, and our own ({@link #options()}; parsed by
 * {@link CommandLine}). The command line overrides the configuration file. Exit status: 0 after a clean stop, 1 when
 * the daemon cannot start, 2 for a usage or configuration error. Detaching (without {@code -N}) is done by the
 * {@code scripts/jxenstored} launcher.
 *
 * <p>Nothing here may log before {@link LogSetup#prepare} (logback configures itself on first use).
 */
public final class Main {
    static final String VERSION = "0.1.0";
    static final String SYNOPSIS = "jxenstored [OPTIONS]";
    static final List<String> DESCRIPTION = List.of(
            "A Xenstore daemon, a drop-in replacement for C xenstored and oxenstored.",
            "The socket path comes from XENSTORED_PATH, else XENSTORED_RUNDIR/socket, else /run/xenstored/socket.",
            "Quotas take non-negative numbers; 0 means unlimited. See docs/operations.md.");

    boolean help;
    boolean version;

    /** Set for a live update's successor (in the environment it inherits) when the daemon logs to a file. */
    static final String LOG_TO_FILE_ENV = "JXENSTORED_LOG_TO_FILE";

    boolean noFork;
    Path pidFile;
    boolean outputPid;
    Path traceFile;
    Integer entryNb;
    Integer entrySize;
    Integer watches;
    Integer transactions;
    Integer permNb;
    Integer pathMax;
    Map<String, String> quotas;
    Map<String, String> softQuotas;
    Map<String, String> timeouts;
    boolean noAccessLog;
    boolean keepOrphans;
    boolean verbose;
    boolean noRecovery;
    boolean noDomainInit;
    String internalDb;
    Path configFile;
    boolean configTest;
    boolean quotaPrivileged;
    Path statsFile;
    String stateDir;
    Integer simulate;
    Path simulateDir;
    Path xenLibrary;
    Path xenstoredKva;
    Path xenstoredPort;
    boolean socketOnly;
    boolean liveUpdate;
    boolean daemonized;
    Path readyFile;

    /** The options, in the order {@code --help} lists them. */
    List<CliOption> options() {
        return List.of(
            CliOption.flag(List.of("-h", "-H", "--help"), "Show this help and exit.", () -> help = true),
            CliOption.flag(List.of("--version"), "Show the version and exit.", () -> version = true),
            CliOption.flag(List.of("-N", "--no-fork"), "Stay in the foreground (the launcher detaches otherwise).",
                    () -> noFork = true),
            CliOption.value(List.of("-F", "--pid-file"), "FILE",
                    "Write the process id to FILE once the socket accepts connections.", v -> pidFile = Path.of(v)),
            CliOption.flag(List.of("-P", "--output-pid"), "Print the process id once ready.", () -> outputPid = true),
            CliOption.value(List.of("-T", "--trace-file"), "FILE",
                    "Switch the access log on, writing to FILE (C's trace file).", v -> traceFile = Path.of(v)),
            CliOption.value(List.of("-E", "--entry-nb"), "N", "Nodes per domain (quota nodes).",
                    v -> entryNb = CommandLine.integer("-E", v)),
            CliOption.value(List.of("-S", "--entry-size"), "N", "Largest node in bytes (node-size).",
                    v -> entrySize = CommandLine.integer("-S", v)),
            CliOption.value(List.of("-W", "--watch-nb"), "N", "Watches per connection (default 128).",
                    v -> watches = CommandLine.integer("-W", v)),
            CliOption.value(List.of("-t", "--transaction"), "N", "Open transactions per connection (default 10).",
                    v -> transactions = CommandLine.integer("-t", v)),
            CliOption.value(List.of("-A", "--perm-nb"), "N", "Permission entries per node.",
                    v -> permNb = CommandLine.integer("-A", v)),
            CliOption.value(List.of("-M", "--path-max"), "N",
                    "Paths below a domain's home must be shorter than this (at most 2048; 0: no limit).",
                    v -> pathMax = CommandLine.integer("-M", v)),
            CliOption.value(List.of("-Q", "--quota"), "NAME=N", "Set a quota: nodes, watches, "
                    + "outstanding, memory, transactions, transaction-nodes, node-permissions, path-max, node-size.",
                    v -> quotas = put(quotas, "-Q", "NAME=N", v)),
            CliOption.value(List.of("-q", "--quota-soft"), "NAME=N", "Set a soft quota: memory.",
                    v -> softQuotas = put(softQuotas, "-q", "NAME=N", v)),
            CliOption.value(List.of("-w", "--timeout"), "WHAT=SECONDS",
                    "Set a timeout: watch-event (how long an unsent watch event is kept, default 20).",
                    v -> timeouts = put(timeouts, "-w", "WHAT=SECONDS", v)),
            CliOption.flag(List.of("--no-access-log"), "No access log, whatever the configuration file says "
                    + "(oxenstored's option; -T still switches it on).", () -> noAccessLog = true),
            CliOption.flag(List.of("-K", "--keep-orphans"), "Keep the nodes of a released domain.",
                    () -> keepOrphans = true),
            CliOption.flag(List.of("-V", "--verbose"), "Log at debug level.", () -> verbose = true),
            CliOption.flag(List.of("-R", "--no-recovery"), "Accepted for compatibility; no effect.",
                    () -> noRecovery = true),
            CliOption.flag(List.of("-D", "--no-domain-init"), "Accepted for compatibility; no effect.",
                    () -> noDomainInit = true),
            CliOption.optional(List.of("-I", "--internal-db"), "on|off", "on",
                    "The store is always in memory: only 'on' is accepted.", v -> internalDb = v),
            CliOption.value(List.of("--config-file"), "FILE", "Configuration file (default "
                    + "$JXENSTORED_CONF, else /etc/jxenstored/jxenstored.conf if it exists).",
                    v -> configFile = Path.of(v)),
            CliOption.flag(List.of("--config-test"), "Check the configuration (unknown keys are errors), then exit.",
                    () -> configTest = true),
            CliOption.flag(List.of("--quota-privileged"), "Apply quotas to privileged connections (Dom0) too.",
                    () -> quotaPrivileged = true),
            CliOption.value(List.of("--stats-prometheus-file"), "FILE", "Write the statistics to FILE "
                    + "in Prometheus' text format every 5 s (stats-prometheus-interval), for node_exporter's textfile "
                    + "collector (a .prom file in its directory); off by default.", v -> statsFile = Path.of(v)),
            CliOption.value(List.of("--state-dir"), "DIR|none", "Keep the state in DIR, continuously, so"
                    + " that a restarted daemon (after a crash, or a restart) brings it back and guests notice nothing"
                    + " (default: state in $XENSTORED_RUNDIR, else next to the socket: /run/xenstored/state; a tmpfs);"
                    + " none: keep nothing.", v -> stateDir = v),
            CliOption.optional(List.of("--simulate"), "GUESTS", "2",
                    "Demo mode: no Xen; a simulated hypervisor with GUESTS guests (default 2) served over "
                    + "their rings.", v -> simulate = CommandLine.integer("--simulate", v)),
            CliOption.value(List.of("--simulate-dir"), "DIR", "Test mode: no Xen; serve the "
                    + "guests of a simulated hypervisor that another process runs in DIR (docs/xen-platform.md).",
                    v -> simulateDir = Path.of(v)).hidden(),
            CliOption.flag(List.of("--socket-only"), "Serve the Unix socket only, even where /dev/xen exists.",
                    () -> socketOnly = true),
            CliOption.value(List.of("--xenstored-kva"), "FILE", "Dom0's ring page (default /proc/xen/xsd_kva; "
                    + "configuration key xenstored-kva).", v -> xenstoredKva = Path.of(v)),
            CliOption.value(List.of("--xenstored-port"), "FILE", "Dom0's ring event channel (default "
                    + "/proc/xen/xsd_port; configuration key xenstored-port).", v -> xenstoredPort = Path.of(v)),
            CliOption.value(List.of("--xen-library"), "FILE", "Test mode: take the Xen functions (libxenevtchn, "
                    + "libxengnttab, libxenctrl) from FILE and use them without /dev/xen: a fake hypervisor such as a "
                    + "preloaded shim (docs/xen-platform.md).", v -> xenLibrary = Path.of(v)),
            CliOption.flag(List.of("-U", "--live-update"), "Started by a live update: take over the state in "
                    + "XENSTORED_RUNDIR/state_dump and the inherited sockets (implies -N).", () -> liveUpdate = true),
            CliOption.flag(List.of("--daemonized"), "Set by the launcher when it detached the daemon.",
                    () -> daemonized = true).hidden(),
            CliOption.value(List.of("--ready-file"), "FILE", "Created once ready (the launcher waits for it).",
                    v -> readyFile = Path.of(v)).hidden());
    }

    /** A NAME=VALUE option's value added to its map (created on first use; repeated options add up). */
    private static Map<String, String> put(Map<String, String> map, String option, String label, String v)
            throws CommandLine.UsageException {
        int eq = v.indexOf('=');
        if (eq < 0) {
            throw new CommandLine.UsageException("Value for option '" + option + "' (" + label
                    + ") should be in KEY=VALUE format but was " + v);
        }
        Map<String, String> m = map != null ? map : new LinkedHashMap<>();
        m.put(v.substring(0, eq), v.substring(eq + 1));
        return m;
    }

    /** The {@code --help} text. */
    String usage() {
        return CommandLine.usage(SYNOPSIS, DESCRIPTION, options());
    }

    /** Parses {@code args} into this object's fields. */
    void parse(String[] args) throws CommandLine.UsageException {
        CommandLine.parse(args, options());
    }

    private final Map<String, String> env;
    private final PrintWriter err;
    /** The arguments as the launcher was given them, for a live-update successor. */
    private List<String> originalArgs = List.of();

    Main(Map<String, String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    public static void main(String[] args) {
        ProcessName.set("jxenstored");
        int rc = run(args, System.getenv(), new PrintWriter(System.err, true));
        System.exit(rc);
    }

    /** Parses and runs; returns the exit status. */
    static int run(String[] args, Map<String, String> env, PrintWriter err) {
        Main main = new Main(env, err);
        main.originalArgs = LauncherArgs.original(args);
        try {
            main.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("jxenstored: " + e.getMessage());
            err.println("Try 'jxenstored --help' for the options.");
            err.flush();
            return 2;
        }
        if (main.help) {
            System.out.print(main.usage());
            System.out.flush();
            return 0;
        }
        if (main.version) {
            System.out.println("jxenstored " + VERSION);
            System.out.flush();
            return 0;
        }
        try {
            return main.call();
        } catch (ConfigException ex) {
            err.println("jxenstored: " + ex.getMessage());
            err.flush();
            return 2;
        } catch (StartRefused ex) {
            err.println("jxenstored: " + ex.getMessage());
            err.flush();
            // A jxenstored already serving the socket is what "start" asks for: success, as LSB init scripts
            // and C xenstored (a locked pid file) answer, so that Debian's init script run by a xen-utils
            // upgrade does not fail the upgrade. Anything else there is an error.
            return ex.alreadyRunning() ? 0 : 1;
        } catch (Exception ex) {
            err.println("jxenstored: cannot start: " + ex);
            err.flush();
            return 1;
        }
    }

    /** The configuration: defaults, then the configuration file, then this command line. */
    DaemonConfig configure(List<String> warnings) throws ConfigException {
        DaemonConfig config = new DaemonConfig();
        config.socketPath = DaemonConfig.socketPathFromEnvironment(env);
        config.stateDir = DaemonConfig.stateDirFromEnvironment(env);
        Path file = configFile;
        if (file == null && env.get("JXENSTORED_CONF") != null && !env.get("JXENSTORED_CONF").isEmpty()) {
            file = Path.of(env.get("JXENSTORED_CONF"));
        }
        if (file == null && Files.isReadable(DaemonConfig.DEFAULT_CONFIG_FILE)) {
            file = DaemonConfig.DEFAULT_CONFIG_FILE;
        }
        if (file != null) {
            warnings.addAll(ConfigFile.apply(file, config, configTest));
            config.configFile = file.toAbsolutePath();
        }
        if (pidFile != null) {
            config.pidFile = pidFile;
        }
        config.readyFile = readyFile;
        if (stateDir != null) {
            config.stateDir = "none".equals(stateDir) ? null : Path.of(stateDir);
        }
        config.liveUpdate = liveUpdate;
        config.stateDumpFile = DaemonConfig.stateDumpFromEnvironment(env);
        config.originalArgs = originalArgs;
        if (noAccessLog) {
            config.accessLog.enabled = false;
        }
        if (statsFile != null) {
            config.statsFile = statsFile.toAbsolutePath();
        }
        if (traceFile != null) {
            config.accessLog.enabled = true;
            config.accessLog.file = traceFile.toAbsolutePath();
        }
        setIfGiven(entryNb, "-E", n -> config.limits.set(QuotaKind.NODES, n));
        setIfGiven(entrySize, "-S", n -> config.limits.set(QuotaKind.NODE_SIZE, n));
        setIfGiven(watches, "-W", n -> config.limits.set(QuotaKind.WATCHES, n));
        setIfGiven(transactions, "-t", n -> config.limits.set(QuotaKind.TRANSACTIONS, n));
        setIfGiven(permNb, "-A", n -> config.limits.set(QuotaKind.NODE_PERMISSIONS, n));
        setIfGiven(pathMax, "-M", n -> config.limits.set(QuotaKind.PATH_MAX, QuotaKind.PATH_MAX.bounded(n)));
        applyQuotas(quotas, false, "-Q", config);
        applyQuotas(softQuotas, true, "-q", config);
        if (timeouts != null) {
            for (Map.Entry<String, String> e : timeouts.entrySet()) {
                if (!"watch-event".equals(e.getKey())) {
                    throw new ConfigException("-w " + e.getKey() + ": unknown timeout (known: watch-event)");
                }
                config.limits.watchEventTimeoutMillis = number("-w watch-event", e.getValue()) * 1000L;
            }
        }
        if (keepOrphans) {
            config.keepOrphans = true;
        }
        if (simulateDir != null) {
            config.platform = DaemonConfig.PlatformMode.SIMULATE_SHARED;
            config.simulateDir = simulateDir;
        } else if (simulate != null) {
            config.platform = DaemonConfig.PlatformMode.SIMULATE;
            config.simulatedGuests = simulate;
        } else if (socketOnly) {
            config.platform = DaemonConfig.PlatformMode.NONE;
        } else if (xenLibrary != null) {
            config.platform = DaemonConfig.PlatformMode.LIBRARY;
            config.xenLibrary = xenLibrary;
        }
        if (xenstoredKva != null) {
            config.xenstoredKva = xenstoredKva;
        }
        if (xenstoredPort != null) {
            config.xenstoredPort = xenstoredPort;
        }
        if (verbose) {
            config.logLevel = "DEBUG";
        }
        if (quotaPrivileged) {
            config.limits.privilegedExempt = false;
        }
        if (internalDb != null && !"on".equals(internalDb)) {
            throw new ConfigException("-I " + internalDb + ": the store is always in memory (only 'on' is accepted)");
        }
        return config;
    }

    private interface IntSetter {
        void set(int n);
    }

    private static void setIfGiven(Integer value, String option, IntSetter setter) throws ConfigException {
        if (value != null) {
            if (value < 0) {
                throw new ConfigException(option + " " + value + ": expected a non-negative number");
            }
            setter.set(value);
        }
    }

    private static int number(String what, String v) throws ConfigException {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConfigException(what + "=" + v + ": expected a non-negative number");
    }

    private static void applyQuotas(Map<String, String> given, boolean soft, String option, DaemonConfig config)
            throws ConfigException {
        if (given == null) {
            return;
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            Optional<QuotaKind> q = soft ? QuotaKind.soft(e.getKey()) : QuotaKind.hard(e.getKey());
            if (q.isEmpty()) {
                throw new ConfigException(option + " " + e.getKey() + ": unknown quota (known: "
                        + QuotaKind.names(soft ? QuotaKind.SOFT : QuotaKind.HARD) + ")");
            }
            config.limits.set(q.get(), q.get().bounded(number(option + " " + e.getKey(), e.getValue())));
        }
    }

    /** Configures and runs the daemon until it stops. */
    int call() throws Exception {
        List<String> warnings = new ArrayList<>();
        DaemonConfig config = configure(warnings);
        for (String w : warnings) {
            err.println("jxenstored: warning: " + w);
        }
        err.flush();
        if (configTest) {
            System.out.println("Configuration valid");
            return 0;
        }
        // Before logging starts: a refused start must leave the running daemon's log files alone.
        Ownership ownership = Ownership.claim(config.socketPath, config.pidFile, config.liveUpdate);
        // A live update's successor logs where its predecessor did: a detached daemon's successor is started with the
        // launcher's --no-fork but not --daemonized (C xenstored would not know it), and C passes its environment on
        boolean detached = daemonized || (config.liveUpdate && (env.containsKey(LOG_TO_FILE_ENV) || !noFork));
        boolean logToFile = LogSetup.prepare(config, detached);
        config.logsToFile = logToFile;
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
        for (String w : warnings) {
            log.warn("configuration: {}", w);
        }
        Daemon daemon = new Daemon(config, ownership);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop();
            LogSetup.shutdown();
        }, "shutdown"));
        try {
            daemon.start();
        } catch (StartRefused e) {
            // one line: on stderr (the launcher shows it), and in the log file when there is one
            if (logToFile) {
                log.error("cannot start: {}", e.getMessage());
            }
            throw e;
        } catch (Exception e) {
            log.error("cannot start: {}", e.toString(), e);
            throw e;
        }
        if (!Signals.handle("HUP", daemon::reopenLogs)) {
            log.warn("no SIGHUP handler on this JVM: logs cannot be reopened by signal");
        }
        if (outputPid) {
            System.out.println(ProcessHandle.current().pid());
            System.out.flush();
        }
        daemon.awaitTermination();
        return 0;
    }
}
