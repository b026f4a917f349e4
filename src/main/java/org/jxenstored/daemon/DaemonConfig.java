package org.jxenstored.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jxenstored.logging.AccessLogSettings;
import org.jxenstored.server.Limits;

/**
 * What the daemon is started with: built from the defaults, then the configuration file ({@link ConfigFile}), then
 * the command line ({@link Main}), each overriding the one before.
 */
public final class DaemonConfig {
    public static final String DEFAULT_RUNDIR = "/run/xenstored";
    /** The configuration file read when none is named ({@code --config-file}, {@code JXENSTORED_CONF}). */
    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/jxenstored/jxenstored.conf");
    /** The daemon log of a detached daemon when no {@code xenstored-log-file} is configured. */
    public static final Path DEFAULT_LOG_FILE = Path.of("/var/log/xen/jxenstored.log");

    public Path socketPath = Path.of(DEFAULT_RUNDIR, "socket");
    /** The configuration file read, if any (for the start-up line). */
    public Path configFile;
    public Path pidFile;
    /** Created (empty) once the daemon is ready; the launcher waits for it. */
    public Path readyFile;
    public final Limits limits = new Limits();
    public final AccessLogSettings accessLog = new AccessLogSettings();

    /** The daemon log file; null: standard error (the journal under systemd). */
    public Path logFile;
    /** Daemon log level: TRACE, DEBUG, INFO, WARN, ERROR or OFF. */
    public String logLevel = "INFO";
    /** Rotated daemon log files kept. */
    public int logFiles = 10;
    /** Rotate the daemon log beyond this many bytes. */
    public long logMaxSize = 10L << 20;

    /**
     * Where guests come from: Xen when {@code /dev/xen} exists (AUTO), never (NONE), simulated (demo mode), or a
     * simulator shared with another process through {@link #simulateDir} (tests that kill and restart the daemon).
     */
    /** AUTO: Xen where /dev/xen exists; LIBRARY: Xen through {@link #xenLibrary}, no /dev/xen needed (tests). */
    public enum PlatformMode { AUTO, NONE, SIMULATE, SIMULATE_SHARED, LIBRARY }

    public PlatformMode platform = PlatformMode.AUTO;
    /** Demo mode: how many simulated guests to introduce at start (domids 1..n). */
    public int simulatedGuests = 2;
    /** SIMULATE_SHARED: the simulator's shared directory (xen.sim.SharedSimPlatform). */
    public Path simulateDir;

    /** C's {@code -K}: keep the nodes of a released domain (the domain layer reads it). */
    public boolean keepOrphans;
    /** Dom0's ring page and event channel port files (oxenstored's {@code xenstored-kva}, {@code xenstored-port}). */
    public Path xenstoredKva = Path.of("/proc/xen/xsd_kva");
    /** Whether the daemon log goes to a file (set by Main): a live update's successor is told to do the same. */
    public boolean logsToFile;
    /** The library whose Xen functions {@link PlatformMode#LIBRARY} uses. */
    public Path xenLibrary;
    public Path xenstoredPort = Path.of("/proc/xen/xsd_port");
    /** oxenstored's {@code ring-scan-interval} in seconds (the ring layer reads it); negative = off. */
    public int ringScanIntervalSeconds = 20;

    /** The statistics in Prometheus' text format, for node_exporter's textfile collector; null: not written. */
    public Path statsFile;
    /** How often {@link #statsFile} is rewritten, in seconds. */
    public int statsFileIntervalSeconds = 5;

    /** Keys of the configuration file that were accepted but have no effect (logged once at start). */
    public final List<String> keysWithoutEffect = new ArrayList<>();

    /**
     * Where the state is kept for a crash restart (a tmpfs: it must not outlive the boot); null: not kept. Main
     * sets the default ({@link #stateDirFromEnvironment}); a daemon built directly keeps nothing unless told.
     */
    public Path stateDir;
    /** The journal size beyond which a new snapshot is written (tests make it small to exercise snapshots). */
    public long journalCompactBytes = org.jxenstored.persist.Durability.MIN_COMPACT_BYTES;
    /** The boot the kept state belongs to; null: this boot's ({@code /proc/sys/kernel/random/boot_id}). */
    public String bootId;

    /** Send READY=1 to $NOTIFY_SOCKET when it is set. */
    public boolean systemdNotify = true;

    /**
     * The default state directory: {@code state} in XENSTORED_RUNDIR when set, else next to the socket named by
     * XENSTORED_PATH, else {@code /run/xenstored/state}.
     */
    public static Path stateDirFromEnvironment(Map<String, String> env) {
        String rundir = env.get("XENSTORED_RUNDIR");
        if (rundir != null && !rundir.isEmpty()) {
            return Path.of(rundir, "state");
        }
        Path socket = socketPathFromEnvironment(env).toAbsolutePath();
        return socket.getParent() == null ? Path.of(DEFAULT_RUNDIR, "state") : socket.getParent().resolve("state");
    }

    /** Started by a live update ({@code -U}): the state comes from {@link #stateDumpFile}, the socket is inherited. */
    public boolean liveUpdate;

    /** Where a live update leaves the state for the successor (C: {@code $XENSTORED_RUNDIR/state_dump}). */
    public Path stateDumpFile = Path.of(DEFAULT_RUNDIR, "state_dump");

    /** The daemon's own arguments, which a live-update successor gets when the operator gives no {@code -c}. */
    public List<String> originalArgs = List.of();

    /** As C xenstored: XENSTORED_RUNDIR/state_dump, else the default run directory's. */
    public static Path stateDumpFromEnvironment(Map<String, String> env) {
        String rundir = env.get("XENSTORED_RUNDIR");
        return Path.of(rundir != null && !rundir.isEmpty() ? rundir : DEFAULT_RUNDIR, "state_dump");
    }

    /** As C xenstored and libxenstore: XENSTORED_PATH, else XENSTORED_RUNDIR/socket, else the default. */
    public static Path socketPathFromEnvironment(Map<String, String> env) {
        String path = env.get("XENSTORED_PATH");
        if (path != null && !path.isEmpty()) {
            return Path.of(path);
        }
        String rundir = env.get("XENSTORED_RUNDIR");
        return Path.of(rundir != null && !rundir.isEmpty() ? rundir : DEFAULT_RUNDIR, "socket");
    }
}
