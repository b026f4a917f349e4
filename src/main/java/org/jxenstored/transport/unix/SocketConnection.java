package org.jxenstored.transport.unix;

import io.netty.channel.Channel;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;

/** A client on the Unix socket: Dom0, privileged (as in C xenstored since the read-only socket went away). */
final class SocketConnection extends Connection {
    private final Channel channel;
    private final Server server;
    private boolean flushPending;

    SocketConnection(Channel channel, Server server) {
        super(0, true, server);
        this.channel = channel;
        this.server = server;
    }

    @Override
    protected boolean transportWritable() {
        return channel.isWritable();
    }

    @Override
    protected void transportWrite(XsMessage m) {
        channel.write(m, channel.voidPromise());
        if (!flushPending) {
            flushPending = true;
            server.markPendingFlush(this);
        }
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
