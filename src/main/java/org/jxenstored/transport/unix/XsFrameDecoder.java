package org.jxenstored.transport.unix;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.XsDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.jxenstored.os.UnixSockets;
import org.jxenstored.logging.RateLimitedLog;
import org.jxenstored.transport.FrameParser;
import org.jxenstored.protocol.XsMessage;

/**
 * Frames socket bytes into messages; an oversized header closes the connection (and only it). The WARN line for
 * it is rate-limited per client process (its pid, from SO_PEERCRED): every violation ends its connection, so a
 * fuzzer makes one per connection, hundreds a second.
 */
final class XsFrameDecoder extends ByteToMessageDecoder {
    private final RateLimitedLog violations;

    XsFrameDecoder(RateLimitedLog violations) {
        this.violations = violations;
    }

    /** Bytes read and not yet a whole request (a live update hands them over). */
    byte[] partialInput() {
        ByteBuf b = internalBuffer();
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            XsMessage m;
            while ((m = FrameParser.next(in)) != null) {
                out.add(m);
            }
        } catch (FrameParser.ProtocolViolation e) {
            in.skipBytes(in.readableBytes());
            report(ctx, e.getMessage());
            ctx.close();
        }
    }

    private void report(ChannelHandlerContext ctx, String problem) {
        PeerCredentials cred = null;
        if (ctx.channel() instanceof XsDomainSocketChannel) {
            try {
                cred = ((XsDomainSocketChannel) ctx.channel()).peerCredentials();
            } catch (java.io.IOException | RuntimeException e) {
                // unknown peer: counted under one key
            }
        }
        int pid = cred == null ? 0 : cred.pid();
        int uid = cred == null ? -1 : cred.uid();
        String key = "pid " + pid;
        boolean logged = violations.warn(key, () -> {
            String name = pid > 0 ? UnixSockets.processName(pid) : null;
            return "socket client " + (pid > 0 ? "pid " + pid + (name == null ? "" : " (" + name + ")") + " uid " + uid
                    : "(unknown pid)");
        }, problem + "; closing the connection");
        if (!logged) {
            violations.scheduleFlush(ctx.channel().eventLoop());
        }
    }
}
