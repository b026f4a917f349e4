package org.jxenstored.transport.unix;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.XsDomainSocketChannel;
import io.netty.channel.epoll.XsServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import org.jxenstored.os.Exec;
import org.jxenstored.os.UnixSockets;
import org.jxenstored.logging.RateLimitedLog;
import org.jxenstored.server.Connection;
import org.jxenstored.server.InheritedConnection;
import org.jxenstored.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix domain socket clients of Dom0 connect to (mode 0600, as C xenstored creates it).
 *
 * <p>Never takes a socket over: a socket file is replaced only when nobody answers on it (a daemon that died
 * without removing it), and at stop the file is removed only if it is still the one bound here (same device and
 * inode), so a daemon that was started by mistake next to a running one, and is stopped, leaves the running one's
 * socket alone.
 */
public final class UnixSocketTransport {
    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketTransport.class);
    /** How often the WARN for a client's protocol violation is repeated at most (per client). */
    static final Duration VIOLATION_LOG_INTERVAL =
            Duration.ofSeconds(Long.getLong("jxenstored.violation-log-interval", 60));

    /** Another process answers on the socket: this daemon must not start. */
    public static final class InUse extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient UnixSockets.Probe probe;

        InUse(Path socket, UnixSockets.Probe probe) {
            super(socket + " is served by " + probe.who() + " already", null);
            this.probe = probe;
        }

        public UnixSockets.Probe probe() {
            return probe;
        }
    }

    private final Server server;
    private final EventLoopGroup loop;
    private final Path socketPath;
    private final RateLimitedLog violations;
    private Channel serverChannel;
    /** The socket file's identity once bound (removed at stop only while the path still names it). */
    private Object boundKey;

    /**
     * @param loop the store thread's event loop: connections are served on it, never concurrently
     */
    public UnixSocketTransport(Server server, EventLoopGroup loop, Path socketPath) {
        this.server = server;
        this.loop = loop;
        this.socketPath = socketPath;
        this.violations = new RateLimitedLog(LoggerFactory.getLogger(XsFrameDecoder.class), VIOLATION_LOG_INTERVAL,
                RateLimitedLog.DEFAULT_KEYS, System::nanoTime, "other socket clients");
    }

    public Path socketPath() {
        return socketPath;
    }

    /** The limiter of the WARN lines for clients' protocol violations (tests). */
    public RateLimitedLog violationLog() {
        return violations;
    }

    /**
     * Binds the socket and starts accepting. A socket file nobody answers on is replaced.
     *
     * @throws InUse when a process answers on the socket already
     */
    public void start() throws IOException, InterruptedException {
        Path dir = socketPath.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        UnixSockets.Probe probe = UnixSockets.probe(socketPath);
        switch (probe.state()) {
            case ANSWERS:
                throw new InUse(socketPath, probe);
            case STALE:
                LOG.info("replacing {}: nobody answers on it (left by a daemon that stopped without removing it)",
                        socketPath);
                break;
            case UNKNOWN:
                LOG.warn("cannot tell whether a daemon answers on {} ({}); replacing it", socketPath,
                        probe.detail());
                break;
            default:
                break;
        }
        ServerBootstrap b = serverBootstrap().channelFactory(XsServerDomainSocketChannel::new)
                .option(ChannelOption.SO_BACKLOG, 1024);
        acceptOneAtATime(b);
        // Bound under a temporary name, then renamed into place: the socket appears at its path only once it
        // listens, with its final mode, replacing a stale file atomically. Removing the socket is left to stop(),
        // which checks that it is still ours.
        Path abs = socketPath.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid());
        if (UnixSockets.sockaddr(tmp.toString()) == null) {
            tmp = abs; // no room for a longer name: bind in place (the stale file must go first)
            if (probe.state() != UnixSockets.State.ABSENT) {
                Files.deleteIfExists(abs);
            }
        }
        if (!tmp.equals(abs)) {
            Files.deleteIfExists(tmp); // left by a daemon with this pid that died while starting
        }
        try {
            serverChannel = b.bind(new DomainSocketAddress(tmp.toFile())).sync().channel();
        } catch (Exception e) {
            // bind(2) failed: EADDRINUSE (someone bound it since the probe), EROFS, EACCES, ...
            UnixSockets.Probe again = UnixSockets.probe(socketPath);
            if (again.state() == UnixSockets.State.ANSWERS) {
                throw new InUse(socketPath, again);
            }
            throw new IOException("cannot bind " + tmp + ": " + e.getMessage(), e);
        }
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            if (!tmp.equals(abs)) {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
            Files.deleteIfExists(tmp);
            throw e;
        }
        boundKey = fileKey(abs);
        LOG.info("listening on {}", socketPath);
    }

    /**
     * One accept per readiness report, level-triggered: Netty's default (edge-triggered, accept until EAGAIN) pays a
     * second accept4 that fails with EAGAIN for almost every connection, since a toolstack connects one command at a
     * time (connection churn, docs/performance.md "Issue 17"). Connections that arrive together are still all
     * accepted: level-triggered epoll reports the socket again while its backlog is not empty.
     */
    private static void acceptOneAtATime(ServerBootstrap b) {
        b.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(1));
    }

    private ServerBootstrap serverBootstrap() {
        return new ServerBootstrap()
                .group(loop, loop)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 256 << 10))
                .childHandler(clientPipeline());
    }

    private ChannelInitializer<Channel> clientPipeline() {
        return new ChannelInitializer<Channel>() {
            @Override
            public boolean isSharable() {
                return true; // as the annotation on ChannelInitializer says, without reading it by reflection
            }

            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new XsFrameDecoder(violations), XsFrameEncoder.INSTANCE,
                        new SocketHandler(server));
            }
        };
    }

    /**
     * Serves a listening socket a predecessor handed over (live update): it is already bound at {@link #socketPath}
     * and may hold connections not yet accepted. Made non-blocking first (C's is blocking; Netty reads until EAGAIN).
     */
    public void adoptListening(int fd) throws IOException, InterruptedException {
        Exec.setNonBlocking(fd, true);
        ServerBootstrap b = serverBootstrap().channelFactory(
                () -> new XsServerDomainSocketChannel(fd, new DomainSocketAddress(socketPath.toFile())));
        acceptOneAtATime(b);
        serverChannel = b.register().sync().channel();
        boundKey = fileKey(socketPath.toAbsolutePath());
        LOG.info("listening on {} (inherited, fd {})", socketPath, fd);
    }

    /** Takes over an inherited client socket, not reading from it until {@link InheritedConnection#resume()}. */
    public InheritedConnection adoptClient(int fd) throws IOException, InterruptedException {
        Exec.setNonBlocking(fd, true);
        Channel ch = new Bootstrap().group(loop).channelFactory(() -> new XsDomainSocketChannel(fd))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 256 << 10))
                .handler(clientPipeline()).register().sync().channel();
        SocketHandler handler = ch.pipeline().get(SocketHandler.class);
        return new InheritedConnection() {
            @Override
            public Connection connection() {
                return handler.connection();
            }

            @Override
            public void received(byte[] bytes) {
                if (bytes.length > 0) {
                    ch.pipeline().fireChannelRead(Unpooled.wrappedBuffer(bytes));
                    ch.pipeline().fireChannelReadComplete();
                }
            }

            @Override
            public void send(byte[] bytes) {
                if (bytes.length > 0) {
                    ch.writeAndFlush(Unpooled.wrappedBuffer(bytes), ch.voidPromise());
                }
            }

            @Override
            public void resume() {
                ch.config().setAutoRead(true);
            }
        };
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The listening socket's file descriptor (a live update hands it over), or -1 when not listening. */
    public int listeningFd() {
        Channel ch = serverChannel;
        return ch instanceof UnixChannel ? ((UnixChannel) ch).fd().intValue() : -1;
    }

    /**
     * Stops accepting and removes the socket file if it is still the one bound here; open connections are closed
     * by the loop's shutdown.
     */
    public void stop() {
        Object now = boundKey == null ? null : fileKey(socketPath);
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        violations.flush(true);
        if (boundKey == null) {
            return;
        }
        if (now == null) {
            LOG.warn("{} was removed by someone else", socketPath);
        } else if (!Objects.equals(now, boundKey)) {
            LOG.warn("{} is not the socket this daemon created any more (another daemon bound it): left alone",
                    socketPath);
        } else {
            try {
                Files.deleteIfExists(socketPath);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", socketPath, e.toString());
            }
        }
        boundKey = null;
    }
}
