package org.jxenstored.daemon;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jxenstored.control.DomainView;
import org.jxenstored.control.ExecHandover;
import org.jxenstored.control.InheritedFds;
import org.jxenstored.control.LiveUpdate;
import org.jxenstored.control.StateDump;
import org.jxenstored.control.OperationsCommands;
import org.jxenstored.domain.DomainOptions;
import org.jxenstored.domain.Domains;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jxenstored.server.InheritedConnection;
import org.jxenstored.transport.ring.RingConnection;
import org.jxenstored.persist.Durability;
import org.jxenstored.persist.LiveUpdateState;
import org.jxenstored.persist.Recovery;
import org.jxenstored.logging.AccessLog;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.Server;
import org.jxenstored.stats.DaemonStats;
import org.jxenstored.stats.PrometheusFile;
import org.jxenstored.stats.StatsMBeans;
import org.jxenstored.transport.unix.UnixSocketTransport;
import org.jxenstored.xen.XenPlatform;
import org.jxenstored.xen.jna.JnaXenPlatform;
import org.jxenstored.xen.sim.SharedSimPlatform;
import org.jxenstored.xen.sim.SimDemo;
import org.jxenstored.xen.sim.SimGuest;
import org.jxenstored.xen.sim.SimPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: one store thread (a Netty epoll event loop) serving every transport, the access log, the
 * operator commands of XS_CONTROL, the pid file and the systemd notification.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** How long after ready the JMX beans are registered (see start()). */
    private static final long MBEANS_DELAY_MS = 2000;

    private final DaemonConfig config;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The socket's lock and the pid file, taken before serving (by Main before logging starts, else here). */
    private Ownership ownership;
    private EventLoopGroup loop;
    private UnixSocketTransport socket;
    private Server server;
    private AccessLog accessLog;
    private DaemonStats stats;
    /** The JMX beans, registered in the background once the daemon is ready (the MBean server is slow to start). */
    private CompletableFuture<StatsMBeans> mbeans;
    /** Opened at stop, or by a test that wants the JMX beans: they are registered at once then. */
    private final CountDownLatch registerMBeansNow = new CountDownLatch(1);
    /** Set at stop: beans not registered by then never are. */
    private volatile boolean skipMBeans;
    private PrometheusFile prometheus;
    private SystemdNotify notify;
    private XenPlatform platform;
    /** A platform the creator supplies (tests: a simulated host), or null: {@link #choosePlatform()} picks one. */
    private final XenPlatform givenPlatform;
    private Domains domains;
    /** Keeps the state for a crash restart; null when off. */
    private Durability durability;
    private LiveUpdate liveUpdate;
    private SimDemo demo;
    private boolean stopping;

    public Daemon(DaemonConfig config) {
        this(config, null, null);
    }

    /**
     * A daemon on a platform its creator made: the composition the tests use for a simulated host, so that they run
     * the daemon's own wiring (operator commands, access log, domain layer, socket).
     */
    public Daemon(DaemonConfig config, XenPlatform platform) {
        this(config, null, platform);
    }

    /** A daemon for which Main has taken the socket's lock and the pid file already. */
    Daemon(DaemonConfig config, Ownership ownership) {
        this(config, ownership, null);
    }

    private Daemon(DaemonConfig config, Ownership ownership, XenPlatform platform) {
        this.config = config;
        this.ownership = ownership;
        this.givenPlatform = platform;
    }

    public Server server() {
        return server;
    }

    /** The domain layer (tests: what a live update hands over). */
    public Domains domains() {
        return domains;
    }

    public UnixSocketTransport socket() {
        return socket;
    }

    public AccessLog accessLog() {
        return accessLog;
    }

    /** The statistics ({@code xenstore-control stats}, JMX, the Prometheus file). */
    public DaemonStats stats() {
        return stats;
    }

    /** The JMX beans, once registered (in the background after the start). */
    public StatsMBeans awaitMBeans() throws Exception {
        registerMBeansNow.countDown();
        return mbeans.get(30, TimeUnit.SECONDS);
    }

    /** The live-update session of XS_CONTROL (tests replace its hand-over). */
    public LiveUpdate liveUpdate() {
        return liveUpdate;
    }

    public DaemonConfig config() {
        return config;
    }

    /** The platform serving guests, or null (socket only). */
    public XenPlatform platform() {
        return platform;
    }

    /** Runs {@code task} on the store thread, where all of the daemon's state lives, and returns its result. */
    public <T> T onStore(Callable<T> task) throws InterruptedException {
        try {
            return loop.submit(task).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Netty samples one buffer allocation in 128 for leak tracking and records a stack trace for it: about 1 % of
     * requests paid 20 µs more, which tripled the 99th percentile of latency (docs/performance.md). Off unless the
     * property {@code io.netty.leakDetection.level} asks for it (when hunting a leak).
     */
    private static void disableLeakSampling() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /**
     * Starts serving; returns once the socket accepts connections and the pid file is written. Then creates the
     * ready file and notifies systemd (READY=1) when asked to.
     */
    public void start() throws IOException, InterruptedException, StartRefused {
        long t0 = System.nanoTime();
        LOG.info("jxenstored {} starting: pid {}, Java {} ({}), {} {} {}, config {}", Main.VERSION,
                ProcessHandle.current().pid(), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), config.configFile == null ? "none (defaults)" : config.configFile);
        if (!config.keysWithoutEffect.isEmpty()) {
            LOG.warn("configuration {}: accepted but not implemented by jxenstored, no effect: {} (docs/operations.md,"
                    + " \"Switching from oxenstored\")", config.configFile, String.join(", ", config.keysWithoutEffect));
        }
        synchronized (this) {
            if (ownership == null) {
                ownership = Ownership.claim(config.socketPath, config.pidFile);
            }
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is unavailable", Epoll.unavailabilityCause());
        }
        disableLeakSampling();
        // jxenstored.yields: how often the store thread yields and looks for input before it sleeps (0: never);
        // 3 took libxenstore clients sharing its CPU from 0.8x to 1.05x-1.4x C's rate (docs/performance.md)
        loop = new EpollEventLoopGroup(1, new DefaultThreadFactory("xenstored-store", true),
                YieldingSelectStrategy.factory(Integer.getInteger("jxenstored.yields", 3)));
        server = new Server(config.limits);
        accessLog = new AccessLog(config.accessLog, server);
        stats = new DaemonStats(server, Main.VERSION, loop);
        server.setRequestStats(stats.recorder());
        liveUpdate = newLiveUpdate();
        OperationsCommands.install(server, accessLog, DomainView.of(server), stats, liveUpdate);
        onStoreThread(accessLog::start);
        platform = givenPlatform != null ? givenPlatform : choosePlatform();
        DomainOptions options = new DomainOptions();
        options.keepOrphans = config.keepOrphans;
        options.ringScanIntervalSeconds = config.ringScanIntervalSeconds;
        domains = new Domains(server, platform, options);
        LiveUpdateState handedOver = config.liveUpdate ? readHandedOverState() : null;
        onStoreThread(() -> {
            server.setDomains(domains);
            try {
                domains.start(loop.next(), handedOver == null ? Domains.Inherited.NONE : handedOver.eventChannels());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        restoreOrKeepState();
        socket = new UnixSocketTransport(server, loop, config.socketPath);
        if (handedOver != null) {
            restoreHandedOverState(handedOver);
        } else {
            try {
                socket.start();
            } catch (UnixSocketTransport.InUse e) {
                throw Ownership.answering(config.socketPath, e.probe());
            } catch (IOException e) {
                throw StartRefused.of("cannot create the socket " + config.socketPath, e);
            }
        }
        if (config.platform == DaemonConfig.PlatformMode.SIMULATE && platform instanceof SimPlatform) {
            startDemoGuests((SimPlatform) platform);
        }
        try {
            ownership.writePid(ProcessHandle.current().pid());
        } catch (IOException e) {
            throw StartRefused.of("cannot write the pid file " + config.pidFile, e);
        }
        if (config.statsFile != null) {
            prometheus = PrometheusFile.start(stats, config.statsFile, config.statsFileIntervalSeconds);
        }
        if (config.readyFile != null) {
            writeAtomically(config.readyFile, "");
        }
        if (config.systemdNotify) {
            notify = SystemdNotify.fromEnvironment(System.getenv());
            if (notify != null) {
                notify.send("READY=1\nSTATUS=Serving " + config.socketPath + "\n");
            }
        }
        // Registered a moment after ready: it takes ~0.1 s of CPU (JMX loads a few hundred classes), which right after
        // ready competed with the first requests, those of the guests after a live update or a crash restart (the
        // first request was answered 0.1 s after the socket appeared; docs/performance.md, "Start-up").
        mbeans = CompletableFuture.supplyAsync(() -> {
            try {
                registerMBeansNow.await(MBEANS_DELAY_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return skipMBeans ? null : StatsMBeans.register(stats);
        }, task -> {
            Thread t = new Thread(task, "jxenstored-jmx");
            t.setDaemon(true);
            t.start();
        });
        LOG.info("jxenstored ready in {} ms on {} (version {}, platform {}, config {}, pid file {}, quotas {})",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), config.socketPath, Main.VERSION,
                platform == null ? "socket only (no Xen)" : platform.describe(),
                config.configFile == null ? "none (defaults)" : config.configFile,
                config.pidFile == null ? "none" : config.pidFile, describeQuotas(config.limits));
    }

    /**
     * Brings back the state a predecessor kept (crash restart, restart), or starts keeping it: before the socket
     * serves anybody. State that is there but cannot be read stops the start: serving an empty store over it would
     * lose every guest's data without a word.
     */
    private void restoreOrKeepState() throws InterruptedException, StartRefused {
        if (config.stateDir == null || config.platform == DaemonConfig.PlatformMode.SIMULATE || config.liveUpdate) {
            return; // off, demo mode (its simulated guests do not outlive the process), or a live update's successor
        }
        try {
            durability = loop.submit(() -> Recovery.start(config.stateDir, bootId(), server, domains,
                    config.journalCompactBytes)).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw StartRefused.of("cannot restore the state kept in " + config.stateDir + " (" + cause.getMessage()
                    + "); to start with an empty store anyway, remove that directory (guests then lose their"
                    + " xenstore state), or start with --state-dir none", cause instanceof IOException
                            ? (IOException) cause : new IOException(cause));
        }
    }

    // ---- live update: the predecessor's hand-over and the successor's restore ----

    private LiveUpdate newLiveUpdate() {
        LiveUpdate lu = new LiveUpdate(server, config.originalArgs, task -> {
            ScheduledFuture<?> f = loop.scheduleWithFixedDelay(task, 100, 100, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }, System::nanoTime);
        Map<String, String> env = new HashMap<>(System.getenv()); // C passes its own environment on too
        if (config.logsToFile) {
            env.put(Main.LOG_TO_FILE_ENV, "1");
        } else {
            env.remove(Main.LOG_TO_FILE_ENV);
        }
        lu.setHandover(new ExecHandover(config.stateDumpFile, stateDump(), this::inheritedFds, env));
        return lu;
    }

    /** Writes the state for a successor. */
    private StateDump stateDump() {
        return new StateDump() {
            @Override
            public void write(Path file, int version, Connection conn, XsMessage request, boolean toC)
                    throws IOException {
                server.flushPending(); // ring consumer indexes published: a C successor reads on from them
                if (durability != null) {
                    Recovery.markHandedOver(config.stateDir, file); // a later start must not restore it once taken
                }
                LiveUpdateState.dump(file, version, server, domains, conn, request, socket.listeningFd(),
                        domains.prepareHandover(), !toC, accessLog.handoverState());
            }

            @Override
            public void abandoned() {
                domains.abandonHandover();
                if (durability != null) {
                    try {
                        Recovery.clearHandedOver(config.stateDir);
                    } catch (IOException e) {
                        LOG.error("live-update abandoned: cannot remove the hand-over mark in {}: {}",
                                config.stateDir, e.toString());
                    }
                }
            }
        };
    }

    /**
     * The listening socket and the socket connections (made blocking: C's successor needs that), and the event
     * channel device with every guest's binding (its flags as they are).
     */
    private InheritedFds.Fds inheritedFds() {
        IntStream clients = server.connections().stream().mapToInt(Connection::inheritableFd).filter(fd -> fd >= 0);
        int[] sockets = IntStream.concat(IntStream.of(socket.listeningFd()).filter(fd -> fd >= 0), clients).toArray();
        int evtchn = domains.handoverFd();
        return new InheritedFds.Fds(sockets, evtchn >= 0 ? new int[] {evtchn} : new int[0]);
    }

    /**
     * A successor ({@code -U}) takes over its predecessor's state, sockets included, or does not start: serving an
     * empty store would lose every guest's state.
     */
    private LiveUpdateState readHandedOverState() throws StartRefused {
        Path file = config.stateDumpFile;
        LOG.info("live-update: restoring the state handed over in {}", file);
        try {
            return LiveUpdateState.read(file);
        } catch (IOException e) {
            throw StartRefused.of("live update: cannot take over the state in " + file
                    + " (not serving an empty store instead)", e);
        }
    }

    private void restoreHandedOverState(LiveUpdateState state) throws StartRefused, InterruptedException {
        Path file = config.stateDumpFile;
        try {
            if (state.listeningFd() >= 0) {
                socket.adoptListening(state.listeningFd());
            } else {
                socket.start();
            }
            Map<Integer, InheritedConnection> adopted = new HashMap<>();
            for (int fd : state.socketFds()) {
                adopted.put(fd, socket.adoptClient(fd));
            }
            int rings = loop.submit(() -> {
                List<RingConnection> restored = state.apply(server, domains, adopted);
                accessLog.takeOver(state.settings());
                if (config.stateDir != null) {
                    durability = Recovery.keepAfterLiveUpdate(config.stateDir, bootId(), server, domains,
                            config.journalCompactBytes, restored);
                }
                domains.recheck();
                domains.pumpAll();
                server.flushPending();
                adopted.values().forEach(InheritedConnection::resume);
                return restored.size();
            }).get();
            Files.deleteIfExists(file);
            LOG.info("live-update: took over {} socket connections and {} domains' rings", adopted.size(), rings);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw StartRefused.of("live update: cannot take over the state in " + file
                    + " (not serving an empty store instead)", cause instanceof IOException
                            ? (IOException) cause : new IOException(String.valueOf(cause), cause));
        } catch (IOException e) {
            throw StartRefused.of("live update: cannot take over the state in " + file
                    + " (not serving an empty store instead)", e);
        }
    }

    private String bootId() {
        return config.bootId != null ? config.bootId : Recovery.currentBootId();
    }

    /** The quotas in force, for the start-up line: C's names, 0 = unlimited. */
    static String describeQuotas(org.jxenstored.server.Limits limits) {
        StringBuilder sb = new StringBuilder();
        for (QuotaKind q : QuotaKind.values()) {
            sb.append(q.wireName()).append('=').append(limits.get(q)).append(' ');
        }
        sb.append("watch-event-timeout=").append(limits.watchEventTimeoutMillis / 1000).append("s");
        sb.append(limits.privilegedExempt ? " (Dom0 exempt)" : " (Dom0 included)");
        return sb.toString();
    }

    /** Xen's devices when there are some (AUTO), a simulated host in demo mode, or none (socket only). */
    private XenPlatform choosePlatform() throws IOException {
        switch (config.platform) {
            case NONE:
                return null;
            case SIMULATE:
                return SimPlatform.inTemporaryDirectory();
            case SIMULATE_SHARED:
                return new SharedSimPlatform(config.simulateDir);
            case LIBRARY:
                return JnaXenPlatform.openWithLibrary(config.xenLibrary, config.xenstoredKva, config.xenstoredPort);
            default:
                try {
                    Optional<XenPlatform> xen = JnaXenPlatform.openIfPresent(config.xenstoredKva, config.xenstoredPort);
                    if (xen.isEmpty()) {
                        LOG.info("running socket-only: /dev/xen does not exist: not running on Xen, or the Xen drivers"
                                + " are not loaded");
                    }
                    return xen.orElse(null);
                } catch (IOException e) {
                    throw new IOException("this is a Xen host (/dev/xen exists) but Xen's libraries cannot be used: "
                            + e.getMessage() + " (--socket-only serves the socket alone)", e);
                }
        }
    }

    /** Demo mode: guests 1..n boot, are introduced as the toolstack would, and keep a heartbeat. */
    private void startDemoGuests(SimPlatform sim) throws InterruptedException {
        demo = new SimDemo();
        for (int domid = 1; domid <= config.simulatedGuests; domid++) {
            SimGuest guest = sim.createDomain(domid);
            int id = domid;
            onStoreThread(() -> domains.introduceDemoGuest(id, guest.ringFrame(), guest.port()));
            demo.run(guest);
        }
        LOG.info("demo mode: {} simulated guests introduced", config.simulatedGuests);
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Runs {@code task} on the store thread and waits for it. */
    private void onStoreThread(Runnable task) throws InterruptedException {
        try {
            loop.submit(task).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Reopens the daemon log's and the access log's files (SIGHUP), on the store thread. */
    public void reopenLogs() {
        EventLoopGroup l = loop;
        if (l == null || l.isShuttingDown()) {
            return;
        }
        l.execute(() -> {
            LogSetup.reopenFiles(AccessLog.LOGGER);
            accessLog.reopen();
            LOG.info("log files reopened");
        });
    }

    private void closeMBeans() {
        if (mbeans != null) {
            skipMBeans = true;
            registerMBeansNow.countDown();
            try {
                StatsMBeans registered = mbeans.get(5, TimeUnit.SECONDS);
                if (registered != null) {
                    registered.close();
                }
            } catch (Exception e) {
                LOG.debug("JMX beans: {}", e.toString());
            }
        }
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /**
     * Dies as a SIGKILL would, for tests of the crash restart within one JVM: the store thread stops (the sockets
     * close with it) and nothing more is written, so the kept state stays as the last write left it; then what the
     * kernel reclaims from a dead process goes (event channels, ring mappings, locks, the JVM-wide JMX names).
     */
    public synchronized void crashForTesting() throws Exception {
        stopping = true;
        if (durability != null) {
            durability.awaitSnapshot(); // a dying process would leave a .tmp, which is ignored: the same state
        }
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        server.setPersistence(null);
        if (durability != null) {
            durability.close();
        }
        if (domains != null) {
            domains.stop();
        }
        closeMBeans();
        if (ownership != null) {
            ownership.release();
        }
    }

    /**
     * Stops accepting, removes the socket file, closes the connections and the access log, ends the store thread
     * and removes the pid file. Idempotent.
     */
    public synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.info("stopping");
        if (notify != null) {
            notify.send("STOPPING=1\nSTATUS=Stopping\n");
        }
        if (socket != null) {
            socket.stop();
        }
        if (demo != null) {
            demo.stop();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        closeMBeans();
        if (durability != null && loop != null) {
            try {
                loop.submit(() -> {
                    server.flushPending();
                    server.setPersistence(null);
                    durability.close();
                    return null;
                }).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing the kept state: {}", e.toString());
            }
        }
        if (domains != null && loop != null) {
            try {
                loop.submit(domains::stop).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("stopping the domain layer: {}", e.toString());
            }
        }
        if (loop != null) {
            if (accessLog != null) {
                try {
                    loop.submit(accessLog::stop).get(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("closing the access log: {}", e.toString());
                }
            }
            loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (config.readyFile != null) {
            try {
                Files.deleteIfExists(config.readyFile);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", config.readyFile, e.toString());
            }
        }
        if (ownership != null) {
            for (String problem : ownership.release()) {
                LOG.warn("{}", problem);
            }
        }
        if (platform != null) {
            platform.close();
        }
        LOG.info("stopped");
        stopped.countDown();
    }
}
