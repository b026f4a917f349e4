package org.jxenstored.transport;

import io.netty.buffer.ByteBuf;
import org.jxenstored.protocol.XsMessage;

/**
 * Cuts xenstore messages out of a byte stream, the same way for socket bytes and for bytes copied out of a ring.
 * The header's length word is checked before anything is buffered (XSA-38, XSA-420): a length above
 * {@link XsMessage#PAYLOAD_MAX} is a protocol violation that ends the connection.
 */
public final class FrameParser {
    /** Thrown when the stream can no longer be trusted; the transport closes (or errors) that connection. */
    public static final class ProtocolViolation extends Exception {
        private static final long serialVersionUID = 1L;

        public ProtocolViolation(String message) {
            super(message, null, false, false);
        }
    }

    private FrameParser() {
    }

    /**
     * Takes one complete message off {@code in}, or returns null (consuming nothing) when more bytes are needed.
     *
     * @throws ProtocolViolation when the header announces more than {@link XsMessage#PAYLOAD_MAX} bytes
     */
    public static XsMessage next(ByteBuf in) throws ProtocolViolation {
        if (in.readableBytes() < XsMessage.HEADER_SIZE) {
            return null;
        }
        int start = in.readerIndex();
        long len = in.getUnsignedIntLE(start + 12);
        if (len > XsMessage.PAYLOAD_MAX) {
            throw new ProtocolViolation("payload length " + len + " exceeds " + XsMessage.PAYLOAD_MAX);
        }
        if (in.readableBytes() < XsMessage.HEADER_SIZE + len) {
            return null;
        }
        int type = in.getIntLE(start);
        int reqId = in.getIntLE(start + 4);
        int txId = in.getIntLE(start + 8);
        byte[] payload = new byte[(int) len];
        in.getBytes(start + XsMessage.HEADER_SIZE, payload);
        in.readerIndex(start + XsMessage.HEADER_SIZE + (int) len);
        return new XsMessage(type, reqId, txId, payload);
    }

    /** Writes a message in wire format. */
    public static void write(XsMessage m, ByteBuf out) {
        out.writeIntLE(m.type);
        out.writeIntLE(m.reqId);
        out.writeIntLE(m.txId);
        out.writeIntLE(m.payload.length);
        out.writeBytes(m.payload);
    }
}
