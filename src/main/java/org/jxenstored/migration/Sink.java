package org.jxenstored.migration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** A buffered byte sink over a channel in one byte order: bounded memory whatever is written through it. */
final class Sink {
    static final int BUFFER = 64 * 1024;

    private final WritableByteChannel channel;
    private final ByteBuffer buf;
    private long position;

    Sink(WritableByteChannel channel, ByteOrder order) {
        this.channel = channel;
        this.buf = ByteBuffer.allocate(BUFFER).order(order);
    }

    long position() {
        return position;
    }

    void order(ByteOrder order) {
        buf.order(order);
    }

    private void room(int n) throws IOException {
        if (buf.remaining() < n) {
            flush();
        }
    }

    void u8(int v) throws IOException {
        room(1);
        buf.put((byte) v);
        position++;
    }

    void u16(int v) throws IOException {
        room(2);
        buf.putShort((short) v);
        position += 2;
    }

    void u32(long v) throws IOException {
        room(4);
        buf.putInt((int) v);
        position += 4;
    }

    void u64(long v) throws IOException {
        room(8);
        buf.putLong(v);
        position += 8;
    }

    void bytes(byte[] b) throws IOException {
        bytes(b, 0, b.length);
    }

    void bytes(byte[] b, int off, int len) throws IOException {
        if (len <= buf.remaining()) {
            buf.put(b, off, len);
        } else if (len <= BUFFER) {
            flush();
            buf.put(b, off, len);
        } else {
            flush();
            ByteBuffer big = ByteBuffer.wrap(b, off, len);
            while (big.hasRemaining()) {
                channel.write(big);
            }
        }
        position += len;
    }

    void zeros(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            u8(0);
        }
    }

    /** Zeros up to the next multiple of 8 of the stream position. */
    void align8() throws IOException {
        zeros((int) (Wire.align8(position) - position));
    }

    void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        buf.clear();
    }
}
