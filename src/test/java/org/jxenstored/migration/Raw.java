package org.jxenstored.migration;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds stream bytes by hand, field by field, to test the reader against layouts written independently. */
final class Raw {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;

    private Raw(int version, ByteOrder order, int flags) {
        this.order = order;
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        h.put("xenstore".getBytes(StandardCharsets.US_ASCII)).putInt(version).putInt(flags);
        out.writeBytes(h.array());
    }

    static Raw v1() {
        return new Raw(1, ByteOrder.LITTLE_ENDIAN, 0);
    }

    static Raw v2() {
        return new Raw(2, ByteOrder.LITTLE_ENDIAN, 0);
    }

    static Raw header(int version, int flags) {
        return new Raw(version, (flags & 1) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, flags);
    }

    /** A record with the given length word and body bytes, as is (no padding added). */
    Raw record(int type, long len, byte[] body) {
        out.writeBytes(ByteBuffer.allocate(8).order(order).putInt(type).putInt((int) len).array());
        out.writeBytes(body);
        return this;
    }

    /** A record of a body, padded with zeros to 8, the length counting the padding (as C writes). */
    Raw record(int type, Body body) {
        byte[] b = body.padded();
        return record(type, b.length, b);
    }

    Raw raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    Raw end() {
        return record(RecordType.END, 0, new byte[0]);
    }

    /** The offset the next record will have. */
    int offset() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Body body() {
        return new Body(order);
    }

    /** A record body, field by field. */
    static final class Body {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();
        private final ByteOrder order;

        Body(ByteOrder order) {
            this.order = order;
        }

        Body u8(int v) {
            b.write(v);
            return this;
        }

        Body u16(int v) {
            b.writeBytes(ByteBuffer.allocate(2).order(order).putShort((short) v).array());
            return this;
        }

        Body u32(long v) {
            b.writeBytes(ByteBuffer.allocate(4).order(order).putInt((int) v).array());
            return this;
        }

        Body u64(long v) {
            b.writeBytes(ByteBuffer.allocate(8).order(order).putLong(v).array());
            return this;
        }

        Body bytes(byte[] v) {
            b.writeBytes(v);
            return this;
        }

        /** The string's bytes and a NUL. */
        Body cstr(String s) {
            b.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            b.write(0);
            return this;
        }

        Body str(String s) {
            b.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        Body zeros(int n) {
            b.writeBytes(new byte[n]);
            return this;
        }

        int size() {
            return b.size();
        }

        byte[] unpadded() {
            return b.toByteArray();
        }

        byte[] padded() {
            byte[] u = b.toByteArray();
            return java.util.Arrays.copyOf(u, (u.length + 7) & ~7);
        }
    }

    /** An idle socket CONNECTION_DATA body. */
    static Body socketConn(Raw r, int connId, int fd) {
        return r.body().u32(connId).u16(1).u16(0).u32(fd).u32(0).u16(0).u16(0).u32(0);
    }

    /** An idle ring CONNECTION_DATA body. */
    static Body ringConn(Raw r, int connId, int domid, int evtchn) {
        return r.body().u32(connId).u16(0).u16(0).u16(domid).u16(0x7ff4).u32(evtchn).u16(0).u16(0).u32(0);
    }

    /** A committed NODE_DATA body owned by {@code owner} (access n). */
    static Body node(Raw r, String path, int owner, byte[] value) {
        return r.body().u32(0).u32(0).u16(path.length() + 1).u16(value.length).u16(0).u16(1)
                .u8('n').u8(0).u16(owner).cstr(path).bytes(value);
    }
}
