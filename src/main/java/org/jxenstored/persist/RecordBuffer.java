package org.jxenstored.persist;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jxenstored.store.Node;

/** A growable little-endian buffer the journal's records are encoded into; reused from batch to batch. */
final class RecordBuffer {
    private ByteBuffer buf;

    RecordBuffer(int initial) {
        buf = ByteBuffer.allocate(initial).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void room(int n) {
        if (buf.remaining() < n) {
            int size = Math.max(buf.capacity() * 2, buf.position() + n);
            ByteBuffer bigger = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    RecordBuffer u8(int v) {
        room(1);
        buf.put((byte) v);
        return this;
    }

    RecordBuffer u32(int v) {
        room(4);
        buf.putInt(v);
        return this;
    }

    RecordBuffer u64(long v) {
        room(8);
        buf.putLong(v);
        return this;
    }

    /** A byte string: its length, then its bytes. */
    RecordBuffer bytes(byte[] b) {
        room(4 + b.length);
        buf.putInt(b.length);
        buf.put(b);
        return this;
    }

    /** A node's value, as {@link #bytes} would put it, without copying it out of the node. */
    RecordBuffer value(Node n) {
        int len = n.valueLength();
        room(4 + len);
        buf.putInt(len);
        n.putValue(buf);
        return this;
    }

    /** A string of chars below 256 (paths, tokens: they came as bytes), one byte each. */
    RecordBuffer str(String s) {
        int n = s.length();
        room(4 + n);
        buf.putInt(n);
        for (int i = 0; i < n; i++) {
            buf.put((byte) s.charAt(i));
        }
        return this;
    }

    boolean isEmpty() {
        return buf.position() == 0;
    }

    int size() {
        return buf.position();
    }

    /** The bytes written so far, as a buffer ready to read (valid until the next write or {@link #clear()}). */
    ByteBuffer contents() {
        return buf.duplicate().flip().order(ByteOrder.LITTLE_ENDIAN); // a duplicate starts big-endian
    }

    void clear() {
        buf.clear();
    }

    static String string(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalStateException("string length " + n + " beyond the record");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] byteString(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalStateException("byte string length " + n + " beyond the record");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
