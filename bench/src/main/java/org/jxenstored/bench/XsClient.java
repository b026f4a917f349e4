package org.jxenstored.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A raw xenstore wire-protocol connection over a Unix socket, written for benchmarks: no allocation per request.
 *
 * <p>Requests are built in place in a direct output buffer ({@link #begin}, {@code put...}, {@link #end}) and sent
 * with {@link #flush}; several may be built before one flush (pipelining). Replies are cut out of a direct input
 * buffer: after {@link #poll} or {@link #recv} returns, {@link #type}, {@link #reqId}, {@link #txId} and
 * {@link #len} describe the current message, whose payload stays readable ({@link #payloadByte}, ...) until the
 * next {@link #fill}. The header is in the host's byte order (little-endian on the machines Xen runs on).
 *
 * <p>Not thread-safe: one connection belongs to one thread.
 */
final class XsClient implements AutoCloseable {
    static final int HEADER = 16;
    static final int PAYLOAD_MAX = 4096;

    static final int DIRECTORY = 1;
    static final int READ = 2;
    static final int GET_PERMS = 3;
    static final int WATCH = 4;
    static final int UNWATCH = 5;
    static final int TRANSACTION_START = 6;
    static final int TRANSACTION_END = 7;
    static final int GET_DOMAIN_PATH = 10;
    static final int WRITE = 11;
    static final int MKDIR = 12;
    static final int RM = 13;
    static final int WATCH_EVENT = 15;
    static final int ERROR = 16;
    static final int DIRECTORY_PART = 22;

    /** Buffer sizes of an ordinary connection, and of one of many (idle connections, watchers). */
    static final int LARGE = 64 * 1024;
    static final int SMALL = 16 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer out;
    /** Received bytes: [readPos, in.position()) are not parsed yet. */
    private final ByteBuffer in;
    private int readPos;
    private int msgStart;
    private int nextReqId = 1;
    private int lastReqId;

    /** The current received message. */
    int type;
    int reqId;
    int txId;
    int len;
    /** Absolute offset of the current message's payload in the input buffer. */
    private int payload;
    /** WATCH_EVENTs {@link #call} skipped while waiting for a reply. */
    long eventsSkipped;

    private XsClient(SocketChannel channel, int bufferSize) {
        this.channel = channel;
        this.out = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.nativeOrder());
        this.in = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.nativeOrder());
    }

    static XsClient connect(Path socket) throws IOException {
        return connect(socket, LARGE);
    }

    /** Connects with buffers of {@code bufferSize} bytes each way (at least {@link #SMALL}). */
    static XsClient connect(Path socket, int bufferSize) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new XsClient(ch, Math.max(SMALL, bufferSize));
    }

    SocketChannel channel() {
        return channel;
    }

    void blocking(boolean b) throws IOException {
        channel.configureBlocking(b);
    }

    // ---- building requests

    /** Starts a request in the output buffer; returns its req_id. */
    int begin(int msgType, int tx) {
        if (!roomForRequest()) {
            throw new IllegalStateException("output buffer full: flush more often");
        }
        msgStart = out.position();
        int id = nextReqId++;
        out.putInt(msgType).putInt(id).putInt(tx).putInt(0);
        lastReqId = id;
        return id;
    }

    XsClient put(byte[] b) {
        out.put(b);
        return this;
    }

    XsClient put(byte[] b, int off, int length) {
        out.put(b, off, length);
        return this;
    }

    XsClient putByte(int b) {
        out.put((byte) b);
        return this;
    }

    XsClient nul() {
        out.put((byte) 0);
        return this;
    }

    /** Puts a non-negative number in decimal, without allocating. */
    XsClient putDecimal(long v) {
        if (v < 0) {
            throw new IllegalArgumentException();
        }
        int digits = 1;
        for (long x = v / 10; x > 0; x /= 10) {
            digits++;
        }
        putDigits(v, digits);
        return this;
    }

    /** Puts the last {@code width} decimal digits of {@code v}, zero-padded. */
    XsClient putDigits(long v, int width) {
        int end = out.position() + width;
        for (int i = end - 1; i >= end - width; i--) {
            out.put(i, (byte) ('0' + (int) (v % 10)));
            v /= 10;
        }
        out.position(end);
        return this;
    }

    /** Ends the request begun last: fills in its length. */
    void end() {
        int length = out.position() - msgStart - HEADER;
        if (length > PAYLOAD_MAX) {
            throw new IllegalArgumentException("payload too long: " + length);
        }
        out.putInt(msgStart + 12, length);
    }

    /** Whether one more request of any size fits in the output buffer. */
    boolean roomForRequest() {
        return out.remaining() >= HEADER + PAYLOAD_MAX;
    }

    /** Bytes built and not yet sent. */
    int pendingOutput() {
        return out.position();
    }

    /** Sends everything built so far (blocking; on a non-blocking channel it spins until done). */
    void flush() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }

    int lastReqId() {
        return lastReqId;
    }

    // ---- receiving

    /** Takes the next complete message out of what was received, if there is one. */
    boolean poll() {
        int avail = in.position() - readPos;
        if (avail < HEADER) {
            return false;
        }
        int l = in.getInt(readPos + 12);
        if (l < 0 || l > PAYLOAD_MAX) {
            // libxenstore refuses these too (E2BIG): the stream cannot be trusted after one
            throw new IllegalStateException("reply payload of " + (l & 0xffffffffL) + " bytes, over the protocol's "
                    + PAYLOAD_MAX);
        }
        if (avail < HEADER + l) {
            return false;
        }
        type = in.getInt(readPos);
        reqId = in.getInt(readPos + 4);
        txId = in.getInt(readPos + 8);
        len = l;
        payload = readPos + HEADER;
        readPos += HEADER + l;
        return true;
    }

    /**
     * Reads once from the socket (blocks on a blocking channel). Invalidates the current message's payload.
     * Returns the bytes read (0 on a non-blocking channel with nothing to read); EOF is an exception.
     */
    int fill() throws IOException {
        if (readPos == in.position()) {
            in.clear();
            readPos = 0;
        } else if (in.remaining() < HEADER + PAYLOAD_MAX) {
            in.limit(in.position()).position(readPos);
            in.compact();
            readPos = 0;
        }
        int n = channel.read(in);
        if (n < 0) {
            throw new EOFException("server closed the connection");
        }
        return n;
    }

    /** Blocks until a complete message is available and takes it. */
    void recv() throws IOException {
        while (!poll()) {
            fill();
        }
    }

    /**
     * Ends and sends the request begun last, then waits for its reply, skipping (and counting) watch events.
     * Returns the reply's type ({@link #ERROR} for an error reply).
     */
    int call() throws IOException {
        end();
        flush();
        int id = lastReqId;
        for (;;) {
            recv();
            if (type == WATCH_EVENT) {
                eventsSkipped++;
                continue;
            }
            if (reqId != id) {
                throw new IllegalStateException("reply to req_id " + reqId + ", expected " + id);
            }
            return type;
        }
    }

    /** Like {@link #call} but an error reply is an exception. */
    void callOk() throws IOException {
        if (call() == ERROR) {
            throw new XsError(payloadString());
        }
    }

    // ---- the current message's payload

    int payloadByte(int i) {
        return in.get(payload + i) & 0xff;
    }

    boolean isError(byte[] name) {
        return type == ERROR && payloadStartsWith(name);
    }

    boolean payloadStartsWith(byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (in.get(payload + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The leading decimal number of the payload (a transaction id, a generation). */
    long payloadDecimal() {
        long v = 0;
        for (int i = 0; i < len; i++) {
            int b = in.get(payload + i);
            if (b < '0' || b > '9') {
                break;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    void copyPayload(int from, byte[] dst, int dstOff, int length) {
        in.get(payload + from, dst, dstOff, length);
    }

    /** The payload as text without its trailing NUL (allocates: for diagnostics and set-up, not hot loops). */
    String payloadString() {
        byte[] b = new byte[len];
        in.get(payload, b);
        int l = len;
        while (l > 0 && b[l - 1] == 0) {
            l--;
        }
        return new String(b, 0, l, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    /** An error reply where none was expected. */
    static final class XsError extends IOException {
        private static final long serialVersionUID = 1L;

        XsError(String name) {
            super(name);
        }
    }
}
