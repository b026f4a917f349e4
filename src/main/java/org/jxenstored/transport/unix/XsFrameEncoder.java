package org.jxenstored.transport.unix;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.jxenstored.transport.FrameParser;
import org.jxenstored.protocol.XsMessage;

/** Writes messages in wire format. */
@ChannelHandler.Sharable
final class XsFrameEncoder extends MessageToByteEncoder<XsMessage> {
    static final XsFrameEncoder INSTANCE = new XsFrameEncoder();

    /** Said here, not only by the annotation: Netty would read it by reflection (a dynamic proxy class per start). */
    @Override
    public boolean isSharable() {
        return true;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, XsMessage msg, boolean preferDirect) {
        return ctx.alloc().ioBuffer(XsMessage.HEADER_SIZE + msg.payload.length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, XsMessage msg, ByteBuf out) {
        FrameParser.write(msg, out);
    }
}
