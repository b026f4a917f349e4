package org.jxenstored.transport.unix;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.UnixChannel;
import java.io.ByteArrayOutputStream;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.jxenstored.server.TransportState;

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
    public int inheritableFd() {
        return channel instanceof UnixChannel ? ((UnixChannel) channel).fd().intValue() : -1;
    }

    @Override
    public TransportBytes transportBytes() {
        XsFrameDecoder decoder = channel.pipeline().get(XsFrameDecoder.class);
        byte[] in = decoder == null ? new byte[0] : decoder.partialInput();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] partial = {-1};
        ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
        if (pending != null) {
            try {
                pending.forEachFlushedMessage(msg -> {
                    if (msg instanceof ByteBuf) {
                        ByteBuf b = (ByteBuf) msg;
                        if (partial[0] < 0) {
                            // the encoder makes one buffer per message, from index 0: one the socket took part of
                            // is the head message's rest
                            partial[0] = b.readerIndex() > 0 ? b.readableBytes() : 0;
                        }
                        b.getBytes(b.readerIndex(), out, b.readableBytes()); // the unwritten rest
                    }
                    return true;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return new TransportBytes(in, out.toByteArray(), Math.max(0, partial[0]));
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
    public String transport() {
        return "socket";
    }

    /** Bytes in Netty's outbound buffer not yet written to the socket; input paused while autoRead is off. */
    @Override
    public TransportState transportState() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        long pending = out == null ? 0 : out.totalPendingWriteBytes();
        return new TransportState(0, 0, pending, !channel.config().isAutoRead(), "");
    }

    @Override
    protected void closeTransport() {
        channel.close();
    }
}
