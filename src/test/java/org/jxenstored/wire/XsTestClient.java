package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;

/**
 * A small raw xenstore client over the daemon's Unix socket, for wire-level tests.
 *
 * <p>Writes are blocking and happen on the caller's thread; a reader thread cuts the incoming byte stream into
 * messages and queues them, so a test can wait for the next message with a timeout, and notice when the server closed
 * the connection. {@link #request} sends one request and waits for the reply with its req_id; WATCH_EVENTs that arrive
 * in the meantime are kept in {@link #events()} and every message received is kept, in arrival order, in
 * {@link #received()} (so tests can check that events come before or after a reply).
 */
public final class XsTestClient implements AutoCloseable {
    // Message types of xs_wire.h
    public static final int CONTROL = XsType.CONTROL.code;
    public static final int DIRECTORY = XsType.DIRECTORY.code;
    public static final int READ = XsType.READ.code;
    public static final int GET_PERMS = XsType.GET_PERMS.code;
    public static final int WATCH = XsType.WATCH.code;
    public static final int UNWATCH = XsType.UNWATCH.code;
    public static final int TRANSACTION_START = XsType.TRANSACTION_START.code;
    public static final int TRANSACTION_END = XsType.TRANSACTION_END.code;
    public static final int INTRODUCE = XsType.INTRODUCE.code;
    public static final int RELEASE = XsType.RELEASE.code;
    public static final int GET_DOMAIN_PATH = XsType.GET_DOMAIN_PATH.code;
    public static final int WRITE = XsType.WRITE.code;
    public static final int MKDIR = XsType.MKDIR.code;
    public static final int RM = XsType.RM.code;
    public static final int SET_PERMS = XsType.SET_PERMS.code;
    public static final int WATCH_EVENT = XsType.WATCH_EVENT.code;
    public static final int ERROR = XsType.ERROR.code;
    public static final int IS_DOMAIN_INTRODUCED = XsType.IS_DOMAIN_INTRODUCED.code;
    public static final int RESUME = XsType.RESUME.code;
    public static final int SET_TARGET = XsType.SET_TARGET.code;
    public static final int RESTRICT = XsType.RESTRICT.code;
    public static final int RESET_WATCHES = XsType.RESET_WATCHES.code;
    public static final int DIRECTORY_PART = XsType.DIRECTORY_PART.code;
    public static final int GET_FEATURE = XsType.GET_FEATURE.code;
    public static final int SET_FEATURE = XsType.SET_FEATURE.code;
    public static final int GET_QUOTA = XsType.GET_QUOTA.code;
    public static final int SET_QUOTA = XsType.SET_QUOTA.code;

    public static final int HEADER_SIZE = XsMessage.HEADER_SIZE;
    public static final int PAYLOAD_MAX = XsMessage.PAYLOAD_MAX;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a test waits before concluding that nothing (more) will arrive. */
    public static final Duration QUIET = Duration.ofMillis(300);

    /** One message from the daemon. Header words are unsigned 32-bit on the wire, kept as raw ints. */
    public record Msg(int type, int reqId, int txId, byte[] payload) {
        public boolean isError() {
            return type == ERROR;
        }

        public boolean isEvent() {
            return type == WATCH_EVENT;
        }

        /** The payload up to its first NUL (a reply's value, an error's name). */
        public String value() {
            String t = text();
            int nul = t.indexOf('\0');
            return nul < 0 ? t : t.substring(0, nul);
        }

        /** The payload as ISO-8859-1 text, NULs included. */
        public String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }

        /** The NUL-terminated strings of the payload (an unterminated tail is returned as the last element). */
        public List<String> strings() {
            return splitNul(payload);
        }

        @Override
        public String toString() {
            return typeName(type) + "{req=" + Integer.toUnsignedString(reqId) + " tx=" + Integer.toUnsignedString(txId)
                    + " " + show(payload) + "}";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Msg m && m.type == type && m.reqId == reqId && m.txId == txId
                    && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * type + reqId) + txId) + Arrays.hashCode(payload);
        }
    }

    private static final Msg CLOSED = new Msg(-1, 0, 0, new byte[0]);

    private final SocketChannel channel;
    private final LinkedBlockingQueue<Msg> inbox = new LinkedBlockingQueue<>();
    private final List<Msg> events = Collections.synchronizedList(new ArrayList<>());
    private final List<Msg> received = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private volatile boolean closedByServer;
    private volatile boolean closing;
    private int nextReqId = 1;

    private XsTestClient(SocketChannel channel) {
        this.channel = channel;
        this.reader = new Thread(this::readLoop, "xs-test-client-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static XsTestClient connect(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new XsTestClient(ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + socket, e);
        }
    }

    // ------------------------------------------------------------------ sending

    /** Sends a request with the next req_id; returns that req_id. */
    public int send(int type, int txId, byte[] payload) {
        int reqId = nextReqId++;
        send(type, reqId, txId, payload);
        return reqId;
    }

    /** Sends a request with an explicit req_id. */
    public void send(int type, int reqId, int txId, byte[] payload) {
        writeRaw(frame(type, reqId, txId, payload));
    }

    /** Writes arbitrary bytes (malformed frames, pipelined batches...). */
    public void writeRaw(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like {@link #writeRaw} but returns false instead of throwing when the server has gone (EPIPE, reset). */
    public boolean tryWriteRaw(byte[] bytes) {
        try {
            writeRaw(bytes);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** The wire form of one message: four little-endian u32 (type, req_id, tx_id, len) and the payload. */
    public static byte[] frame(int type, int reqId, int txId, byte[] payload) {
        return header(type, reqId, txId, payload.length, payload);
    }

    /** A frame whose len word says {@code announcedLen} whatever the payload really is. */
    public static byte[] header(int type, int reqId, int txId, long announcedLen, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(reqId).putInt(txId).putInt((int) announcedLen).put(payload);
        return b.array();
    }

    // ---------------------------------------------------------------- receiving

    /** The next message, or null when none arrives within {@code timeout}. Fails if the server closed the socket. */
    public Msg poll(Duration timeout) {
        Msg m = take(timeout);
        if (m == CLOSED) {
            inbox.add(CLOSED); // keep the connection reported as closed
            throw new AssertionError("server closed the connection");
        }
        return m;
    }

    /** The next message; fails when none arrives within {@code timeout} or the server closed the socket. */
    public Msg receive(Duration timeout) {
        Msg m = poll(timeout);
        if (m == null) {
            throw new AssertionError("no message within " + timeout);
        }
        return m;
    }

    public Msg receive() {
        return receive(DEFAULT_TIMEOUT);
    }

    /**
     * Sends a request and waits for the reply carrying its req_id. WATCH_EVENTs arriving before the reply are added
     * to {@link #events()}; any other message with another req_id fails the test.
     */
    public Msg request(int type, int txId, byte[] payload) {
        int reqId = send(type, txId, payload);
        return awaitReply(reqId);
    }

    public Msg request(int type, byte[] payload) {
        return request(type, 0, payload);
    }

    /** Waits for the reply to {@code reqId}, collecting events that arrive first. */
    public Msg awaitReply(int reqId) {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no reply to req_id " + reqId + " within " + DEFAULT_TIMEOUT);
            }
            Msg m = take(Duration.ofNanos(left));
            if (m == CLOSED) {
                inbox.add(CLOSED);
                throw new AssertionError("server closed the connection while waiting for req_id " + reqId);
            }
            if (m == null) {
                continue;
            }
            if (m.isEvent()) {
                continue; // already recorded in events by take()
            }
            if (m.reqId() != reqId) {
                throw new AssertionError("expected reply to req_id " + reqId + " but got " + m);
            }
            return m;
        }
    }

    /** Waits up to {@code quiet} for further messages; returns them (events are also kept in {@link #events()}). */
    public List<Msg> drain(Duration quiet) {
        List<Msg> out = new ArrayList<>();
        Msg m;
        while ((m = poll(quiet)) != null) {
            out.add(m);
        }
        return out;
    }

    /** Asserts that nothing arrives within {@code quiet}. */
    public void expectSilence(Duration quiet) {
        assertThat(drain(quiet)).as("unexpected messages").isEmpty();
    }

    /**
     * A round trip (READ of /): every event caused by requests the daemon answered before it is in
     * {@link #events()} afterwards, as the daemon serves requests in order and each connection's output is ordered.
     */
    public void sync() {
        Msg r = request(READ, nul("/"));
        assertThat(r.type()).as("sync reply %s", r).isEqualTo(READ);
    }

    /** Waits until the server closes the connection (other messages are skipped); false on timeout. */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Msg m = take(Duration.ofNanos(left));
            if (m == CLOSED) {
                inbox.add(CLOSED);
                return true;
            }
        }
    }

    public boolean isClosedByServer() {
        return closedByServer;
    }

    /** WATCH_EVENTs received so far (live list: tests may clear it). */
    public List<Msg> events() {
        return events;
    }

    /** The WATCH_EVENT payloads received so far as "path|token" strings (NULs shown as |), then cleared. */
    public List<String> takeEvents() {
        synchronized (events) {
            List<String> out = new ArrayList<>();
            for (Msg m : events) {
                out.add(String.join("|", m.strings()));
            }
            events.clear();
            return out;
        }
    }

    /** Every message taken from the socket so far, in arrival order (live list). */
    public List<Msg> received() {
        return received;
    }

    private Msg take(Duration timeout) {
        try {
            Msg m = inbox.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            if (m != null && m != CLOSED) {
                received.add(m);
                if (m.isEvent()) {
                    events.add(m);
                }
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void readLoop() {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (true) {
                header.clear();
                if (!fill(header)) {
                    break;
                }
                header.flip();
                int type = header.getInt();
                int reqId = header.getInt();
                int txId = header.getInt();
                long len = Integer.toUnsignedLong(header.getInt());
                if (len > 1 << 20) {
                    throw new IOException("absurd reply length " + len);
                }
                ByteBuffer payload = ByteBuffer.allocate((int) len);
                if (!fill(payload)) {
                    break;
                }
                inbox.add(new Msg(type, reqId, txId, payload.array()));
            }
        } catch (IOException e) {
            // reset by peer, or closed locally
        }
        if (!closing) {
            closedByServer = true;
        }
        inbox.add(CLOSED);
    }

    private boolean fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        closing = true;
        try {
            channel.close();
        } catch (IOException e) {
            // ignore
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------ convenience ops

    public Msg read(String path) {
        return request(READ, nul(path));
    }

    public Msg read(int tx, String path) {
        return request(READ, tx, nul(path));
    }

    public Msg write(String path, String value) {
        return write(0, path, value);
    }

    public Msg write(int tx, String path, String value) {
        return request(WRITE, tx, cat(nul(path), latin1(value)));
    }

    public Msg mkdir(String path) {
        return request(MKDIR, nul(path));
    }

    public Msg rm(String path) {
        return request(RM, nul(path));
    }

    public Msg directory(String path) {
        return request(DIRECTORY, nul(path));
    }

    public Msg getPerms(String path) {
        return request(GET_PERMS, nul(path));
    }

    public Msg setPerms(String path, String... perms) {
        String[] all = new String[perms.length + 1];
        all[0] = path;
        System.arraycopy(perms, 0, all, 1, perms.length);
        return request(SET_PERMS, nul(all));
    }

    public Msg watch(String path, String token) {
        return request(WATCH, nul(path, token));
    }

    public Msg unwatch(String path, String token) {
        return request(UNWATCH, nul(path, token));
    }

    public Msg control(String... args) {
        return request(CONTROL, nul(args));
    }

    /** Starts a transaction and returns its id (fails unless the reply is TRANSACTION_START). */
    public int startTransaction() {
        Msg r = request(TRANSACTION_START, nul(""));
        assertThat(r.type()).as("TRANSACTION_START reply %s", r).isEqualTo(TRANSACTION_START);
        return Integer.parseUnsignedInt(r.strings().get(0));
    }

    public Msg endTransaction(int tx, boolean commit) {
        return request(TRANSACTION_END, tx, nul(commit ? "T" : "F"));
    }

    /** Writes outside any transaction, asserting the OK reply. */
    public void put(String path, String value) {
        expectOk(write(path, value), WRITE);
    }

    // -------------------------------------------------------------- assertions

    /** Asserts a reply of {@code type} with payload "OK\0". */
    public static Msg expectOk(Msg m, int type) {
        return expectReply(m, type, nul("OK"));
    }

    /** Asserts a reply of {@code type} with exactly {@code payload}. */
    public static Msg expectReply(Msg m, int type, byte[] payload) {
        assertThat(typeName(m.type())).as("reply type of %s", m).isEqualTo(typeName(type));
        assertThat(show(m.payload())).as("payload of %s", m).isEqualTo(show(payload));
        return m;
    }

    /** Asserts an ERROR reply whose payload is {@code errno} followed by a NUL. */
    public static Msg expectError(Msg m, String errno) {
        assertThat(show(m.payload()) + " " + typeName(m.type())).as("reply %s", m)
                .isEqualTo(show(nul(errno)) + " " + typeName(ERROR));
        return m;
    }

    // ---------------------------------------------------------------- payloads

    /** Each string followed by a NUL, ISO-8859-1 (one byte per char). */
    public static byte[] nul(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append(p).append('\0');
        }
        return latin1(sb.toString());
    }

    public static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    public static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    public static List<String> splitNul(byte[] payload) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                out.add(new String(payload, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        if (start < payload.length) {
            out.add(new String(payload, start, payload.length - start, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** A readable rendering of a payload: printable ASCII as is, NUL as \0, others as \xNN; long ones shortened. */
    public static String show(byte[] p) {
        StringBuilder sb = new StringBuilder();
        sb.append('"');
        int limit = p.length > 600 ? 200 : p.length;
        for (int i = 0; i < limit; i++) {
            appendByte(sb, p[i]);
        }
        if (limit < p.length) {
            // long payloads: length, a hash-like summary and the tail, so differences still show
            sb.append("...(").append(p.length).append(" bytes, crc ")
                    .append(HexFormat.of().toHexDigits((int) crc(p))).append(")...");
            for (int i = Math.max(limit, p.length - 60); i < p.length; i++) {
                appendByte(sb, p[i]);
            }
        }
        return sb.append('"').toString();
    }

    private static long crc(byte[] p) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(p);
        return c.getValue();
    }

    private static void appendByte(StringBuilder sb, byte b) {
        int c = b & 0xff;
        if (c == 0) {
            sb.append("\\0");
        } else if (c == '\\') {
            sb.append("\\\\");
        } else if (c >= 0x20 && c < 0x7f) {
            sb.append((char) c);
        } else {
            sb.append(String.format("\\x%02x", c));
        }
    }

    public static String typeName(int type) {
        String[] names = {"CONTROL", "DIRECTORY", "READ", "GET_PERMS", "WATCH", "UNWATCH", "TRANSACTION_START",
            "TRANSACTION_END", "INTRODUCE", "RELEASE", "GET_DOMAIN_PATH", "WRITE", "MKDIR", "RM", "SET_PERMS",
            "WATCH_EVENT", "ERROR", "IS_DOMAIN_INTRODUCED", "RESUME", "SET_TARGET", "RESTRICT", "RESET_WATCHES",
            "DIRECTORY_PART", "GET_FEATURE", "SET_FEATURE", "GET_QUOTA", "SET_QUOTA"};
        return type >= 0 && type < names.length ? names[type] : "type" + Integer.toUnsignedString(type);
    }
}
