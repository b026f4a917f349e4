package org.jxenstored.transport.unix;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A client on the Unix socket: Dom0, privileged (as in C xenstored since the read-only socket went away). */
final class SocketConnection extends Connection {
    private static final Logger LOG = LoggerFactory.getLogger(SocketConnection.class);
    /** Above this many unsent bytes a client that does not read loses watch events instead of growing the heap. */
    static final long EVENT_BACKLOG_LIMIT = 4L << 20;

    private final Channel channel;
    private final Server server;
    private boolean flushPending;
    private boolean warnedBacklog;

    SocketConnection(Channel channel, Server server) {
        super(0, true);
        this.channel = channel;
        this.server = server;
    }

    @Override
    protected void write(XsMessage m) {
        if (m.type == XsType.WATCH_EVENT.code && backlog() > EVENT_BACKLOG_LIMIT) {
            if (!warnedBacklog) {
                warnedBacklog = true;
                LOG.warn("{} does not read: dropping watch events", this);
            }
            return;
        }
        channel.write(m, channel.voidPromise());
        if (!flushPending) {
            flushPending = true;
            server.markPendingFlush(this);
        }
    }

    private long backlog() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    @Override
    public void flush() {
        flushPending = false;
        channel.flush();
    }

    @Override
    public String describe() {
        return "socket";
    }

    @Override
    protected void closeTransport() {
        channel.close();
    }
}
