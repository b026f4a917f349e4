package org.jxenstored.protocol;

/**
 * One xenstore message: the four header words and the payload (at most {@link #PAYLOAD_MAX} bytes).
 * Header words are unsigned 32-bit on the wire and kept as raw ints here.
 */
public final class XsMessage {
    public static final int HEADER_SIZE = 16;
    public static final int PAYLOAD_MAX = 4096;

    public final int type;
    public final int reqId;
    public final int txId;
    public final byte[] payload;

    public XsMessage(int type, int reqId, int txId, byte[] payload) {
        this.type = type;
        this.reqId = reqId;
        this.txId = txId;
        this.payload = payload;
    }

    public static XsMessage reply(XsMessage request, XsType type, byte[] payload) {
        return new XsMessage(type.code, request.reqId, request.txId, payload);
    }

    public static XsMessage error(XsMessage request, XsError error) {
        return new XsMessage(XsType.ERROR.code, request.reqId, request.txId, error.wirePayload());
    }

    /** The defined type of this message, or null for an unknown code. */
    public XsType knownType() {
        return XsType.of(type);
    }

    @Override
    public String toString() {
        XsType t = knownType();
        return (t == null ? "type" + Integer.toUnsignedString(type) : t.name()) + " req=" + Integer.toUnsignedString(reqId)
                + " tx=" + Integer.toUnsignedString(txId) + " len=" + payload.length;
    }
}
