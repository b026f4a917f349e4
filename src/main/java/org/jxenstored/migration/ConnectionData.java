package org.jxenstored.migration;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * CONNECTION_DATA ({@code xs_state_connection}): one connection, with the bytes it had pending.
 *
 * <pre>
 *  0: conn-id u32 | 4: conn-type u16 (0 ring, 1 socket) | 6: fields u16 (bit 0: unique-id present; was "pad")
 *  8: conn-spec, 8 bytes: ring   = domid u16 | tdomid u16 | evtchn u32
 *                         socket = fd i32 | pad u32
 * 16: in-data-len u16 | 18: out-resp-len u16 | 20: out-data-len u32
 * 24: in-data, then out-data; pad to 8; then, if fields bit 0, unique-id u64
 * </pre>
 *
 * <p>The pending data is what C writes ({@code dump_state_buffered_data}): {@code inData} holds the requests read
 * but not yet processed, complete ones first (requests delayed while the update was pending), then at most one
 * partial request (a partial header, or a whole header and part of the payload). {@code outData} holds what was
 * not yet written to the connection: first, if {@code outRespLen} is not 0, the last {@code outRespLen} bytes of a
 * message partly written, then whole messages (16-byte header and payload). The connection that asked for the
 * live update has the {@code OK} reply at the end of its {@code outData}, with the header of its {@code -s}
 * request. Message headers inside the data are in the stream's byte order, as on the wire.
 *
 * <p>There is no ring reference or GFN: the ABI reserves grant entry 1 of the domain for the ring page.
 *
 * @param connId not 0; WATCH and TRANSACTION records refer to it
 * @param spec what the connection is
 * @param inData pending input, at most 65535 bytes
 * @param outData pending output, at most 2^31-1 bytes here (the field is 32 bits)
 * @param outRespLen how many bytes at the start of {@code outData} finish a partly written message
 * @param uniqueId the domain's unique id (written by C 4.21+ for ring connections, in v1 streams too)
 */
public record ConnectionData(int connId, Spec spec, byte[] inData, byte[] outData, int outRespLen,
        OptionalLong uniqueId) implements MigrationRecord {
    /** Connection type code of a shared ring. */
    public static final int TYPE_RING = 0;
    /** Connection type code of a socket. */
    public static final int TYPE_SOCKET = 1;
    /** {@code fields} bit: the unique id follows the data. */
    public static final int FIELD_UNIQUE_ID = 0x0001;
    /** Xen's {@code DOMID_INVALID}: a ring connection without a target. */
    public static final int DOMID_INVALID = Wire.DOMID_INVALID;

    private static final byte[] NONE = new byte[0];

    /** What a connection is: a domain's shared ring or a Unix socket. */
    public sealed interface Spec permits Ring, Socket {
        /** The {@code conn-type} code. */
        int connType();
    }

    /**
     * A domain's shared ring.
     *
     * @param domid the domain that owns the page
     * @param targetDomid the domain it acts for after SET_TARGET, or {@link #DOMID_INVALID}
     * @param evtchn xenstored's local port of the interdomain event channel (not the guest's remote port)
     */
    public record Ring(int domid, int targetDomid, int evtchn) implements Spec {
        public Ring {
            Wire.checkDomid(domid, "ring domid");
            if (targetDomid != DOMID_INVALID) {
                Wire.checkDomid(targetDomid, "ring target domid");
            }
        }

        /** A ring without a target. */
        public static Ring of(int domid, int evtchn) {
            return new Ring(domid, DOMID_INVALID, evtchn);
        }

        @Override
        public int connType() {
            return TYPE_RING;
        }

        @Override
        public String toString() {
            return "ring domid=" + domid + (targetDomid == DOMID_INVALID ? "" : " target=" + targetDomid)
                    + " evtchn=" + Integer.toUnsignedString(evtchn);
        }
    }

    /**
     * A connected Unix socket, inherited across exec.
     *
     * @param fd its file descriptor
     */
    public record Socket(int fd) implements Spec {
        public Socket {
            if (fd < 0) {
                throw new IllegalArgumentException("socket fd " + fd);
            }
        }

        @Override
        public int connType() {
            return TYPE_SOCKET;
        }

        @Override
        public String toString() {
            return "socket fd=" + fd;
        }
    }

    public ConnectionData {
        if (connId == 0) {
            throw new IllegalArgumentException("connection id 0");
        }
        Objects.requireNonNull(spec, "spec");
        inData = inData == null ? NONE : inData;
        outData = outData == null ? NONE : outData;
        Objects.requireNonNull(uniqueId, "uniqueId (OptionalLong.empty() for none)");
        Wire.checkU16(inData.length, "in-data length");
        Wire.checkU16(outRespLen, "out-resp-len");
        if (outRespLen > outData.length) {
            throw new IllegalArgumentException("out-resp-len " + outRespLen + " exceeds out-data length "
                    + outData.length);
        }
    }

    /** A connection with nothing pending and no unique id. */
    public static ConnectionData idle(int connId, Spec spec) {
        return new ConnectionData(connId, spec, NONE, NONE, 0, OptionalLong.empty());
    }

    /** The {@code fields} word as written. */
    public int fields() {
        return uniqueId.isPresent() ? FIELD_UNIQUE_ID : 0;
    }

    @Override
    public int type() {
        return RecordType.CONNECTION_DATA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionData c && connId == c.connId && spec.equals(c.spec)
                && Arrays.equals(inData, c.inData) && Arrays.equals(outData, c.outData)
                && outRespLen == c.outRespLen && uniqueId.equals(c.uniqueId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connId, spec, Arrays.hashCode(inData), Arrays.hashCode(outData), outRespLen, uniqueId);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CONN ").append(Integer.toUnsignedString(connId)).append(' ')
                .append(spec);
        if (inData.length > 0) {
            sb.append(" in=").append(Wire.hex(inData));
        }
        if (outData.length > 0) {
            sb.append(" out=").append(Wire.hex(outData));
        }
        if (outRespLen != 0) {
            sb.append(" out_resp_len=").append(outRespLen);
        }
        uniqueId.ifPresent(u -> sb.append(" unique_id=0x").append(Long.toHexString(u)));
        return sb.toString();
    }
}
