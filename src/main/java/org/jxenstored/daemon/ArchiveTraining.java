package org.jxenstored.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jxenstored.protocol.XsType;

/**
 * The requests scripts/build-cds sends to its throw-away daemon before that daemon's JVM writes the class-data
 * archive: without them the archive held only the classes of starting, and the first connection after a start
 * loaded the whole request path from the jar (parsed and verified: the first reply came ~50 ms after the socket
 * appeared; that start is the outage of a live update and of a crash restart). One of each common request, an
 * error, a watch and its event, a transaction, a second connection.
 *
 * <pre>java -cp jxenstored.jar org.jxenstored.daemon.ArchiveTraining SOCKET</pre>
 */
public final class ArchiveTraining implements AutoCloseable {
    private final SocketChannel ch;
    private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private int reqId;

    private ArchiveTraining(SocketChannel ch) {
        this.ch = ch;
    }

    private static ArchiveTraining connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new ArchiveTraining(ch);
    }

    /** Sends one request and returns its reply's payload (watch events before it are skipped). */
    private String call(XsType type, int txId, String... args) throws IOException {
        return exchange(false, type, txId, args);
    }

    /** Sends a request that must fail (the error path is trained too). */
    private void callFailing(XsType type, int txId, String... args) throws IOException {
        exchange(true, type, txId, args);
    }

    private String exchange(boolean mustFail, XsType type, int txId, String... args) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(4096);
        for (String a : args) {
            payload.put(a.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        }
        payload.flip();
        int id = ++reqId;
        header.clear();
        header.putInt(type.code).putInt(id).putInt(txId).putInt(payload.remaining()).flip();
        ch.write(new ByteBuffer[] {header, payload});
        while (true) {
            header.clear();
            readFully(header);
            header.flip();
            int replyType = header.getInt();
            int replyId = header.getInt();
            header.getInt();
            ByteBuffer body = ByteBuffer.allocate(header.getInt());
            readFully(body);
            if (replyType != XsType.WATCH_EVENT.code && replyId == id) {
                String reply = new String(body.array(), StandardCharsets.UTF_8);
                if ((replyType == XsType.ERROR.code) != mustFail) {
                    throw new IOException(type + " " + String.join(" ", args) + ": unexpected reply " + reply);
                }
                return reply;
            }
        }
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("the daemon closed the connection");
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp jxenstored.jar " + ArchiveTraining.class.getName() + " SOCKET");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        try (ArchiveTraining t = connect(socket)) {
            t.run();
        }
        try (ArchiveTraining t = connect(socket)) {
            t.callFailing(XsType.READ, 0, "/training/a");
        }
    }

    private void run() throws IOException {
        call(XsType.WATCH, 0, "/training", "t");
        call(XsType.WRITE, 0, "/training/a", "value");
        call(XsType.READ, 0, "/training/a");
        callFailing(XsType.READ, 0, "/training/missing");
        call(XsType.MKDIR, 0, "/training/d");
        call(XsType.DIRECTORY, 0, "/training");
        call(XsType.DIRECTORY_PART, 0, "/training", "0");
        call(XsType.GET_PERMS, 0, "/training/a");
        call(XsType.SET_PERMS, 0, "/training/a", "n0", "r1");
        call(XsType.GET_DOMAIN_PATH, 0, "1");
        call(XsType.IS_DOMAIN_INTRODUCED, 0, "0");
        call(XsType.GET_FEATURE, 0, "0");
        String tx = call(XsType.TRANSACTION_START, 0, "").replace("\0", "");
        int txId = Integer.parseInt(tx);
        call(XsType.READ, txId, "/training/a");
        call(XsType.WRITE, txId, "/training/b", "value");
        call(XsType.TRANSACTION_END, txId, "T");
        call(XsType.UNWATCH, 0, "/training", "t");
        call(XsType.RM, 0, "/training");
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
