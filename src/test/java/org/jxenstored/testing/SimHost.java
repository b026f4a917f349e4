package org.jxenstored.testing;

import io.netty.channel.epoll.EpollEventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jxenstored.control.DomainView;
import org.jxenstored.control.OperationsCommands;
import org.jxenstored.domain.DomainOptions;
import org.jxenstored.domain.Domains;
import org.jxenstored.logging.AccessLog;
import org.jxenstored.logging.AccessLogSettings;
import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;
import org.jxenstored.stats.DaemonStats;
import org.jxenstored.transport.unix.UnixSocketTransport;
import org.jxenstored.xen.sim.SimGuest;
import org.jxenstored.xen.sim.SimPlatform;

/**
 * A daemon on a simulated Xen: the real server, domain layer and socket on one store thread, with guests whose
 * rings are memory-mapped files. Dom0's toolstack talks through the socket ({@link #socketPath()}), guests through
 * their rings ({@link #createGuest}).
 */
public final class SimHost implements AutoCloseable {
    private final Path dir;
    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final SimPlatform platform;
    private final Server server;
    private final DaemonStats stats;
    private final Domains domains;
    private final UnixSocketTransport socket;

    private final SimGuest dom0Kernel;

    private SimHost(Path dir, Consumer<Limits> limits, DomainOptions options) throws Exception {
        this.dir = dir;
        this.platform = new SimPlatform(dir.resolve("rings"));
        this.dom0Kernel = platform.createDom0Ring();
        Limits l = new Limits();
        limits.accept(l);
        this.server = new Server(l);
        // the statistics and the operator commands, as the daemon installs them (its access log stays off)
        this.stats = new DaemonStats(server, "test", loop);
        server.setRequestStats(stats.recorder());
        OperationsCommands.install(server, new AccessLog(new AccessLogSettings(), server), DomainView.of(server),
                stats);
        this.domains = new Domains(server, platform, options);
        this.socket = new UnixSocketTransport(server, loop, dir.resolve("socket"));
        onStore(() -> {
            server.setDomains(domains);
            domains.start(loop.next());
            return null;
        });
        socket.start();
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
        return server;
    }

    public DaemonStats stats() {
        return stats;
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
            return loop.submit(task).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.stop();
        onStore(() -> {
            domains.stop();
            return null;
        });
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files
        }
    }
}
