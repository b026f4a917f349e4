package org.jxenstored.transport.unix;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.jxenstored.transport.FrameParser;
import org.jxenstored.protocol.XsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Frames socket bytes into messages; an oversized header closes the connection (and only it). */
final class XsFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(XsFrameDecoder.class);

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            XsMessage m;
            while ((m = FrameParser.next(in)) != null) {
                out.add(m);
            }
        } catch (FrameParser.ProtocolViolation e) {
            LOG.warn("{}: {}; closing the connection", ctx.channel(), e.getMessage());
            in.skipBytes(in.readableBytes());
            ctx.close();
        }
    }
}
