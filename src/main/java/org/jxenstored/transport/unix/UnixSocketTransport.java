package org.jxenstored.transport.unix;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jxenstored.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Unix domain socket clients of Dom0 connect to (mode 0600, as C xenstored creates it). */
public final class UnixSocketTransport {
    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketTransport.class);

    private final Server server;
    private final EventLoopGroup loop;
    private final Path socketPath;
    private Channel serverChannel;

    /**
     * @param loop the store thread's event loop: connections are served on it, never concurrently
     */
    public UnixSocketTransport(Server server, EventLoopGroup loop, Path socketPath) {
        this.server = server;
        this.loop = loop;
        this.socketPath = socketPath;
    }

    public Path socketPath() {
        return socketPath;
    }

    /** Binds the socket (replacing a stale socket file) and starts accepting. */
    public void start() throws IOException, InterruptedException {
        Path dir = socketPath.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.deleteIfExists(socketPath);
        ServerBootstrap b = new ServerBootstrap()
                .group(loop, loop)
                .channel(EpollServerDomainSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 256 << 10))
                .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                    @Override
                    protected void initChannel(EpollDomainSocketChannel ch) {
                        ch.pipeline().addLast(new XsFrameDecoder(), XsFrameEncoder.INSTANCE, new SocketHandler(server));
                    }
                });
        serverChannel = b.bind(new DomainSocketAddress(socketPath.toFile())).sync().channel();
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        LOG.info("listening on {}", socketPath);
    }

    /** Stops accepting and removes the socket file; open connections are closed by the loop's shutdown. */
    public void stop() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", socketPath, e.toString());
        }
    }
}
