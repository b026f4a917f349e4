package org.jxenstored.daemon;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jxenstored.server.Server;
import org.jxenstored.transport.unix.UnixSocketTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running daemon: one store thread (a Netty epoll event loop) serving every transport. */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonConfig config;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private EventLoopGroup loop;
    private UnixSocketTransport socket;
    private Server server;

    public Daemon(DaemonConfig config) {
        this.config = config;
    }

    public Server server() {
        return server;
    }

    public UnixSocketTransport socket() {
        return socket;
    }

    /** Starts serving; returns once the socket accepts connections and the pid file is written. */
    public void start() throws IOException, InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is unavailable", Epoll.unavailabilityCause());
        }
        loop = new EpollEventLoopGroup(1, new DefaultThreadFactory("xenstored-store", true));
        server = new Server(config.limits);
        socket = new UnixSocketTransport(server, loop, config.socketPath);
        socket.start();
        if (config.pidFile != null) {
            Files.writeString(config.pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        }
        LOG.info("jxenstored ready (socket only: no Xen platform in this build)");
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Stops accepting, removes the socket and pid files, and ends the store thread. Idempotent. */
    public synchronized void stop() {
        if (stopped.getCount() == 0) {
            return;
        }
        LOG.info("stopping");
        if (socket != null) {
            socket.stop();
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (config.pidFile != null) {
            try {
                Files.deleteIfExists(config.pidFile);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", config.pidFile, e.toString());
            }
        }
        stopped.countDown();
    }
}
