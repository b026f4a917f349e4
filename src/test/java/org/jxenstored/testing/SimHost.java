package org.jxenstored.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jxenstored.daemon.Daemon;
import org.jxenstored.daemon.DaemonConfig;
import org.jxenstored.domain.DomainOptions;
import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;
import org.jxenstored.stats.DaemonStats;
import org.jxenstored.xen.sim.SimGuest;
import org.jxenstored.xen.sim.SimPlatform;

/**
 * A daemon on a simulated Xen: the daemon's own composition ({@link Daemon}: server, operator commands, access log,
 * domain layer, socket, one store thread) on a {@link SimPlatform} whose guests' rings are memory-mapped files. Dom0's
 * toolstack talks through the socket ({@link #socketPath()}), guests through their rings ({@link #createGuest}).
 */
public final class SimHost implements AutoCloseable {
    private final Path dir;
    private final SimPlatform platform;
    private final SimGuest dom0Kernel;
    private final DaemonConfig config;
    private Daemon daemon;

    private SimHost(Path dir, Consumer<Limits> limits, DomainOptions options) throws Exception {
        this(dir, limits, options, 0);
    }

    /** @param compactBytes 0: no state kept; else kept, with a snapshot each time the journal grows this much */
    private SimHost(Path dir, Consumer<Limits> limits, DomainOptions options, long compactBytes) throws Exception {
        this.dir = dir;
        this.platform = new SimPlatform(dir.resolve("rings"));
        this.dom0Kernel = platform.createDom0Ring();
        DaemonConfig config = new DaemonConfig();
        this.config = config;
        config.socketPath = dir.resolve("socket");
        if (compactBytes > 0) {
            config.stateDir = dir.resolve("state");
            config.journalCompactBytes = compactBytes;
        }
        config.systemdNotify = false;
        config.keepOrphans = options.keepOrphans;
        config.ringScanIntervalSeconds = options.ringScanIntervalSeconds;
        limits.accept(config.limits);
        this.daemon = new Daemon(config, platform);
        daemon.start();
    }

    /** A host whose daemon keeps its state for a crash restart ({@link #crashAndRestart()}). */
    public static SimHost startKeepingState() {
        return startKeepingState(org.jxenstored.persist.Durability.MIN_COMPACT_BYTES);
    }

    /** The same, writing a new snapshot whenever the journal grows past {@code compactBytes}. */
    public static SimHost startKeepingState(long compactBytes) {
        try {
            return new SimHost(Files.createTempDirectory(Path.of("/tmp"), "jxsim"), l -> { }, new DomainOptions(),
                    compactBytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kept state's directory (when the host keeps it). */
    public Path stateDir() {
        return config.stateDir;
    }

    /**
     * Kills the daemon as SIGKILL would (its store thread and sockets go; the guests, their rings and the kept state
     * stay), optionally runs {@code whileDead} (e.g. a guest request, or tearing the journal's end), and starts a new
     * daemon on the same state and the same simulated hypervisor.
     */
    public void crashAndRestart(Runnable whileDead) throws Exception {
        daemon.crashForTesting();
        whileDead.run();
        daemon = new Daemon(config, platform);
        daemon.start();
    }

    public static SimHost start() {
        return start(l -> { }, new DomainOptions());
    }

    public static SimHost start(Consumer<Limits> limits, DomainOptions options) {
        try {
            return new SimHost(Files.createTempDirectory(Path.of("/tmp"), "jxsim"), limits, options);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Path socketPath() {
        return dir.resolve("socket");
    }

    public SimPlatform platform() {
        return platform;
    }

    public Server server() {
        return daemon.server();
    }

    public org.jxenstored.domain.Domains domains() {
        return daemon.domains();
    }

    public DaemonStats stats() {
        return daemon.stats();
    }

    /** Dom0's kernel side of Dom0's own ring (what {@code /dev/xen/xenbus} clients in Dom0 go through). */
    public SimGuest dom0Kernel() {
        return dom0Kernel;
    }

    /** A new running domain with an empty xenstore page (not yet introduced). */
    public SimGuest createGuest(int domid) {
        return platform.createDomain(domid);
    }

    /** Runs {@code task} on the store thread and waits for it (to look at daemon state safely). */
    public <T> T onStore(Callable<T> task) {
        try {
            return daemon.onStore(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        daemon.stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files
        }
    }
}
