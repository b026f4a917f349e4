package org.jxenstored.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Whole operations over an {@link XsClient}, as libxenstore's calls do them (one request in flight). */
final class Ops {
    static final byte[] EAGAIN = bytes("EAGAIN");
    static final byte[] E2BIG = bytes("E2BIG");
    static final byte[] ENOENT = bytes("ENOENT");

    private Ops() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code s} followed by a NUL. */
    static byte[] cstr(String s) {
        byte[] b = new byte[s.length() + 1];
        s.getBytes(0, s.length(), b, 0);
        return b;
    }

    static void write(XsClient c, int tx, String path, String value) throws IOException {
        c.begin(XsClient.WRITE, tx);
        c.put(bytes(path)).nul().put(bytes(value));
        c.callOk();
    }

    static String read(XsClient c, String path) throws IOException {
        c.begin(XsClient.READ, 0);
        c.put(bytes(path)).nul();
        c.callOk();
        return c.payloadString();
    }

    /** RM, where a missing node is not an error. */
    static void rm(XsClient c, String path) throws IOException {
        c.begin(XsClient.RM, 0);
        c.put(bytes(path)).nul();
        if (c.call() == XsClient.ERROR && !c.payloadStartsWith(ENOENT)) {
            throw new XsClient.XsError(c.payloadString() + " removing " + path);
        }
    }

    static void watch(XsClient c, String path, String token) throws IOException {
        c.begin(XsClient.WATCH, 0);
        c.put(bytes(path)).nul().put(bytes(token)).nul();
        c.callOk();
    }

    static int transactionStart(XsClient c) throws IOException {
        c.begin(XsClient.TRANSACTION_START, 0);
        c.nul();
        c.callOk();
        return (int) c.payloadDecimal();
    }

    /** Ends a transaction; false when the commit failed with EAGAIN. */
    static boolean transactionEnd(XsClient c, int tx, boolean commit) throws IOException {
        c.begin(XsClient.TRANSACTION_END, tx);
        c.putByte(commit ? 'T' : 'F').nul();
        if (c.call() == XsClient.ERROR) {
            if (c.payloadStartsWith(EAGAIN)) {
                return false;
            }
            throw new XsClient.XsError(c.payloadString());
        }
        return true;
    }

    /** Receives the names of a directory listing: {@code buf[off, off + len)} holds NUL-terminated names. */
    interface NameSink {
        void names(byte[] buf, int off, int len) throws IOException;
    }

    /**
     * Lists a directory the way libxenstore's {@code xs_directory} does: DIRECTORY, and when the listing does not fit
     * in one message (E2BIG) DIRECTORY_PART from offset 0 until the empty terminating name, starting over if the
     * directory's generation changes between parts. Returns the number of children; {@code sink} (may be null) gets
     * the names. {@code buf} must hold a reply payload (4096 bytes).
     */
    static int directory(XsClient c, byte[] pathCstr, byte[] buf, NameSink sink) throws IOException {
        c.begin(XsClient.DIRECTORY, 0);
        c.put(pathCstr);
        if (c.call() != XsClient.ERROR) {
            int n = countNames(c, 0, c.len);
            if (sink != null) {
                c.copyPayload(0, buf, 0, c.len);
                sink.names(buf, 0, c.len);
            }
            return n;
        }
        if (!c.payloadStartsWith(E2BIG)) {
            throw new XsClient.XsError(c.payloadString());
        }
        restart:
        for (;;) {
            long offset = 0;
            long generation = -1;
            int total = 0;
            for (;;) {
                c.begin(XsClient.DIRECTORY_PART, 0);
                c.put(pathCstr).putDecimal(offset).nul();
                if (c.call() == XsClient.ERROR) {
                    throw new XsClient.XsError(c.payloadString());
                }
                long gen = c.payloadDecimal();
                if (generation >= 0 && gen != generation) {
                    continue restart;
                }
                generation = gen;
                int start = 0;
                while (start < c.len && c.payloadByte(start) != 0) {
                    start++;
                }
                start++;
                // The names follow the generation; an empty name (a second NUL) ends the whole listing.
                boolean last = false;
                int end = c.len;
                if (end >= start + 1 && c.payloadByte(end - 1) == 0 && (end == start + 1 || c.payloadByte(end - 2) == 0)) {
                    last = true;
                    end--;
                }
                int bytesHere = end - start;
                int n = countNames(c, start, end);
                total += n;
                offset += bytesHere;
                if (sink != null && bytesHere > 0) {
                    c.copyPayload(start, buf, 0, bytesHere);
                    sink.names(buf, 0, bytesHere);
                }
                if (last || bytesHere == 0) {
                    return total;
                }
            }
        }
    }

    private static int countNames(XsClient c, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (c.payloadByte(i) == 0) {
                n++;
            }
        }
        return n;
    }
}
