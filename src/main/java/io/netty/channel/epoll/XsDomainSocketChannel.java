package io.netty.channel.epoll;

import io.netty.channel.ChannelId;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;

/**
 * A client connection of jxenstored's Unix socket, accepted by {@link XsServerDomainSocketChannel} or inherited at
 * a live update: Netty's {@link EpollDomainSocketChannel} without its address look-ups (a xenstored client's socket
 * is unnamed, and the listening socket's name is known) and, for an accepted connection, registered with epoll
 * reading from the start (one epoll_ctl instead of two). Bytes only: no file descriptors are passed.
 */
public final class XsDomainSocketChannel extends AbstractEpollStreamChannel implements DomainSocketChannel {
    private final EpollDomainSocketChannelConfig config = new EpollDomainSocketChannelConfig(this);
    private final DomainSocketAddress local;

    /** A connection accepted on {@code local}: reads as soon as it is registered (auto-read, the default). */
    XsDomainSocketChannel(int fd, DomainSocketAddress local) {
        super(new LinuxSocket(fd), false); // not "active" here: that would look the addresses up
        this.local = local;
        active = true;
        flags |= Native.EPOLLIN;
    }

    /**
     * A connected socket inherited at a live update; it reads once {@link #read()} is called or auto-read is set
     * (the caller decides when the predecessor's unread bytes have been fed in first).
     */
    public XsDomainSocketChannel(int fd) {
        super(new LinuxSocket(fd), false);
        this.local = null;
        active = true;
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
    protected DomainSocketAddress remoteAddress0() {
        return null;
    }

    @Override
    public EpollDomainSocketChannelConfig config() {
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

    /** The client's pid, uid and gid (SO_PEERCRED). */
    public PeerCredentials peerCredentials() throws IOException {
        return socket.getPeerCredentials();
    }
}
