package io.netty.channel.epoll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelId;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.ServerDomainSocketChannel;
import java.net.SocketAddress;

/**
 * jxenstored's listening Unix socket: Netty's {@link EpollServerDomainSocketChannel} with connections built for
 * connection churn (every {@code xenstore-*} command and much of the toolstack is one connection with one
 * request). Netty's final classes ask the kernel for a new connection's addresses six times (four getsockname, two
 * getpeername) and register it with epoll twice (ADD, then MOD for EPOLLIN); an {@link XsDomainSocketChannel} asks
 * once and registers once. In Netty's package because the constructors and the epoll flags it needs are
 * package-private there (docs/performance.md, "Connection churn").
 *
 * <p>Unlike Netty's, closing it never deletes the socket file: the transport decides that (it checks the file is
 * still the one it bound).
 */
public final class XsServerDomainSocketChannel extends AbstractEpollServerChannel
        implements ServerDomainSocketChannel {
    private final EpollServerChannelConfig config = new EpollServerChannelConfig(this);
    private volatile DomainSocketAddress local;

    /** A new socket, to be bound. */
    public XsServerDomainSocketChannel() {
        super(LinuxSocket.newSocketDomain(), false);
    }

    /** A socket bound and listening already (inherited at a live update). */
    public XsServerDomainSocketChannel(int fd, DomainSocketAddress local) {
        super(new LinuxSocket(fd), true);
        this.local = local;
    }

    @Override
    protected Channel newChildChannel(int fd, byte[] addr, int offset, int len) {
        return new XsDomainSocketChannel(fd, local);
    }

    @Override
    protected ChannelId newId() {
        return XsChannelId.next();
    }

    @Override
    protected DomainSocketAddress localAddress0() {
        return local;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        socket.bind(localAddress);
        socket.listen(config.getBacklog());
        local = (DomainSocketAddress) localAddress;
        active = true;
    }

    @Override
    public EpollServerChannelConfig config() {
        return config;
    }

    @Override
    public DomainSocketAddress remoteAddress() {
        return null;
    }

    @Override
    public DomainSocketAddress localAddress() {
        return local;
    }
}
