package org.jxenstored.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking xenstore client for the operations tests: one request at a time, watch events that arrive
 * before a reply are kept. Enough for XS_CONTROL and a few node operations.
 */
public final class OpsClient implements AutoCloseable {
    public static final int CONTROL = 0;
    public static final int READ = 2;
    public static final int WATCH = 4;
    public static final int WRITE = 11;
    public static final int ERROR = 16;
    public static final int WATCH_EVENT = 15;

    /** One message from the daemon. */
    public record Reply(int type, int reqId, int txId, byte[] payload) {
        public boolean isError() {
            return type == ERROR;
        }

        /** The payload up to its first NUL. */
        public String text() {
            String s = new String(payload, StandardCharsets.ISO_8859_1);
            int nul = s.indexOf('\0');
            return nul < 0 ? s : s.substring(0, nul);
        }

        @Override
        public String toString() {
            return "type " + type + " '" + new String(payload, StandardCharsets.ISO_8859_1).replace('\0', '|') + "'";
        }
    }

    private final SocketChannel ch;
    private final List<Reply> events = new ArrayList<>();
    private int reqId;

    private OpsClient(SocketChannel ch) {
        this.ch = ch;
    }

    public static OpsClient connect(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new OpsClient(ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + socket, e);
        }
    }

    /** The NUL-terminated concatenation of {@code parts}. */
    public static byte[] nul(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append(p).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    public Reply control(String... commandAndArgs) {
        return request(CONTROL, nul(commandAndArgs));
    }

    public Reply write(String path, String value) {
        byte[] p = nul(path);
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[p.length + v.length];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(v, 0, all, p.length, v.length);
        return request(WRITE, all);
    }

    public Reply read(String path) {
        return request(READ, nul(path));
    }

    public Reply watch(String path, String token) {
        return request(WATCH, nul(path, token));
    }

    public List<Reply> events() {
        return events;
    }

    /** Sends one request and returns its reply (events before it are kept in {@link #events()}). */
    public Reply request(int type, byte[] payload) {
        int id = ++reqId;
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(id).putInt(0).putInt(payload.length).put(payload).flip();
        try {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            while (true) {
                Reply r = readMessage();
                if (r.type == WATCH_EVENT) {
                    events.add(r);
                    continue;
                }
                return r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply readMessage() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        fill(h);
        h.flip();
        int type = h.getInt();
        int id = h.getInt();
        int tx = h.getInt();
        int len = h.getInt();
        ByteBuffer p = ByteBuffer.allocate(len);
        fill(p);
        return new Reply(type, id, tx, p.array());
    }

    private void fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("connection closed by the daemon");
            }
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            // closing
        }
    }
}
