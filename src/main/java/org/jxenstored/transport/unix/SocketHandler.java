package org.jxenstored.transport.unix;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one socket channel to the server. Runs on the store thread: requests are served inline, and output is
 * flushed once per batch of input. A client that does not read its replies is not read from until it does.
 */
final class SocketHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SocketHandler.class);

    private final Server server;
    private SocketConnection conn;

    SocketHandler(Server server) {
        this.server = server;
    }

    /** The connection this handler serves (once the channel is active). */
    SocketConnection connection() {
        return conn;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        conn = new SocketConnection(ctx.channel(), server);
        server.connect(conn);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        server.handler().handle(conn, (XsMessage) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        server.flushPending();
        if (!ctx.channel().isWritable() || conn.waitingCount() > 0) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && conn != null) {
            conn.drain();
            if (ctx.channel().isWritable() && conn.waitingCount() == 0) {
                ctx.channel().config().setAutoRead(true);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (conn != null) {
            conn.close();
            server.flushPending();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("{}: {}", conn, cause.toString());
        } else {
            LOG.warn("{}: closing after unexpected error", conn, cause);
        }
        ctx.close();
    }
}
