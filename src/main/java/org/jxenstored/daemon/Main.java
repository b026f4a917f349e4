package org.jxenstored.daemon;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.store.Paths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The command line of jxenstored: C xenstored's options (what Xen's launch-xenstore and XENSTORED_ARGS pass),
 * oxenstored's {@code --config-file} and {@code --config-test}, and our own. The command line overrides the
 * configuration file. Exit status: 0 after a clean stop, 1 when the daemon cannot start, 2 for a usage or
 * configuration error. Detaching (without {@code -N}) is done by the {@code scripts/jxenstored} launcher.
 *
 * <p>Nothing here may log before {@link LogSetup#prepare} (logback configures itself on first use).
 */
@Command(name = "jxenstored", version = "jxenstored " + Main.VERSION, sortOptions = false, usageHelpWidth = 100,
        description = {"A Xenstore daemon, a drop-in replacement for C xenstored and oxenstored.",
            "The socket path comes from XENSTORED_PATH, else XENSTORED_RUNDIR/socket, else /run/xenstored/socket.",
            "Quotas take non-negative numbers; 0 means unlimited. See docs/operations.md."})
public final class Main implements Callable<Integer> {
    static final String VERSION = "0.1.0";

    @Option(names = {"-h", "-H", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Show the version and exit.")
    boolean version;

    /** Set for a live update's successor (in the environment it inherits) when the daemon logs to a file. */
    static final String LOG_TO_FILE_ENV = "JXENSTORED_LOG_TO_FILE";

    @Option(names = {"-N", "--no-fork"}, description = "Stay in the foreground (the launcher detaches otherwise).")
    boolean noFork;

    @Option(names = {"-F", "--pid-file"}, paramLabel = "FILE",
            description = "Write the process id to FILE once the socket accepts connections.")
    Path pidFile;

    @Option(names = {"-P", "--output-pid"}, description = "Print the process id once ready.")
    boolean outputPid;

    @Option(names = {"-T", "--trace-file"}, paramLabel = "FILE",
            description = "Switch the access log on, writing to FILE (C's trace file).")
    Path traceFile;

    @Option(names = {"-E", "--entry-nb"}, paramLabel = "N", description = "Nodes per domain (quota nodes).")
    Integer entryNb;

    @Option(names = {"-S", "--entry-size"}, paramLabel = "N", description = "Largest node in bytes (node-size).")
    Integer entrySize;

    @Option(names = {"-W", "--watch-nb"}, paramLabel = "N", description = "Watches per connection (default 128).")
    Integer watches;

    @Option(names = {"-t", "--transaction"}, paramLabel = "N",
            description = "Open transactions per connection (default 10).")
    Integer transactions;

    @Option(names = {"-A", "--perm-nb"}, paramLabel = "N", description = "Permission entries per node.")
    Integer permNb;

    @Option(names = {"-M", "--path-max"}, paramLabel = "N",
            description = "Paths below a domain's home must be shorter than this (at most 2048; 0: no limit).")
    Integer pathMax;

    @Option(names = {"-Q", "--quota"}, paramLabel = "NAME=N", description = "Set a quota: nodes, watches, "
            + "outstanding, memory, transactions, transaction-nodes, node-permissions, path-max, node-size.")
    Map<String, String> quotas;

    @Option(names = {"-q", "--quota-soft"}, paramLabel = "NAME=N", description = "Set a soft quota: memory.")
    Map<String, String> softQuotas;

    @Option(names = {"-w", "--timeout"}, paramLabel = "WHAT=SECONDS",
            description = "Set a timeout: watch-event (how long an unsent watch event is kept, default 20).")
    Map<String, String> timeouts;

    @Option(names = "--no-access-log", description = "No access log, whatever the configuration file says "
            + "(oxenstored's option; -T still switches it on).")
    boolean noAccessLog;

    @Option(names = {"-K", "--keep-orphans"}, description = "Keep the nodes of a released domain.")
    boolean keepOrphans;

    @Option(names = {"-V", "--verbose"}, description = "Log at debug level.")
    boolean verbose;

    @Option(names = {"-R", "--no-recovery"}, description = "Accepted for compatibility; no effect.")
    boolean noRecovery;

    @Option(names = {"-D", "--no-domain-init"}, description = "Accepted for compatibility; no effect.")
    boolean noDomainInit;

    @Option(names = {"-I", "--internal-db"}, arity = "0..1", paramLabel = "on|off", fallbackValue = "on",
            description = "The store is always in memory: only 'on' is accepted.")
    String internalDb;

    @Option(names = "--config-file", paramLabel = "FILE", description = "Configuration file (default "
            + "$JXENSTORED_CONF, else /etc/jxenstored/jxenstored.conf if it exists).")
    Path configFile;

    @Option(names = "--config-test", description = "Check the configuration (unknown keys are errors), then exit.")
    boolean configTest;

    @Option(names = "--quota-privileged", description = "Apply quotas to privileged connections (Dom0) too.")
    boolean quotaPrivileged;

    @Option(names = "--stats-prometheus-file", paramLabel = "FILE", description = "Write the statistics to FILE "
            + "in Prometheus' text format every 5 s (stats-prometheus-interval), for node_exporter's textfile "
            + "collector (a .prom file in its directory); off by default.")
    Path statsFile;

    @Option(names = "--state-dir", paramLabel = "DIR|none", description = "Keep the state in DIR, continuously, so"
            + " that a restarted daemon (after a crash, or a restart) brings it back and guests notice nothing"
            + " (default: state in $XENSTORED_RUNDIR, else next to the socket: /run/xenstored/state; a tmpfs);"
            + " none: keep nothing.")
    String stateDir;

    @Option(names = "--simulate", arity = "0..1", paramLabel = "GUESTS", fallbackValue = "2",
            description = "Demo mode: no Xen; a simulated hypervisor with GUESTS guests (default 2) served over "
                    + "their rings.")
    Integer simulate;

    @Option(names = "--simulate-dir", hidden = true, paramLabel = "DIR", description = "Test mode: no Xen; serve the "
            + "guests of a simulated hypervisor that another process runs in DIR (docs/xen-platform.md).")
    Path simulateDir;

    @Option(names = "--xen-library", paramLabel = "FILE", description = "Test mode: take the Xen functions "
            + "(libxenevtchn, libxengnttab, libxenctrl) from FILE and use them without /dev/xen: a fake hypervisor "
            + "such as a preloaded shim (docs/xen-platform.md).")
    Path xenLibrary;

    @Option(names = "--xenstored-kva", paramLabel = "FILE", description = "Dom0's ring page (default "
            + "/proc/xen/xsd_kva; configuration key xenstored-kva).")
    Path xenstoredKva;

    @Option(names = "--xenstored-port", paramLabel = "FILE", description = "Dom0's ring event channel (default "
            + "/proc/xen/xsd_port; configuration key xenstored-port).")
    Path xenstoredPort;

    @Option(names = "--socket-only", description = "Serve the Unix socket only, even where /dev/xen exists.")
    boolean socketOnly;

    @Option(names = {"-U", "--live-update"}, description = "Started by a live update: take over the state in "
            + "XENSTORED_RUNDIR/state_dump and the inherited sockets (implies -N).")
    boolean liveUpdate;

    @Option(names = "--daemonized", hidden = true, description = "Set by the launcher when it detached the daemon.")
    boolean daemonized;

    @Option(names = "--ready-file", hidden = true, paramLabel = "FILE",
            description = "Created once ready (the launcher waits for it).")
    Path readyFile;

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
        CommandLine cl = new CommandLine(main);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("jxenstored: " + ex.getMessage());
            err.println("Try 'jxenstored --help' for the options.");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof ConfigException) {
                err.println("jxenstored: " + ex.getMessage());
                err.flush();
                return 2;
            }
            if (ex instanceof StartRefused) {
                err.println("jxenstored: " + ex.getMessage());
                err.flush();
                // A jxenstored already serving the socket is what "start" asks for: success, as LSB init scripts
                // and C xenstored (a locked pid file) answer, so that Debian's init script run by a xen-utils
                // upgrade does not fail the upgrade. Anything else there is an error.
                return ((StartRefused) ex).alreadyRunning() ? 0 : 1;
            }
            err.println("jxenstored: cannot start: " + ex);
            err.flush();
            return 1;
        });
        return cl.execute(args);
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

    @Override
    public Integer call() throws Exception {
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
