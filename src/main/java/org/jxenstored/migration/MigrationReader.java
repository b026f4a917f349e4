package org.jxenstored.migration;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a migration stream record by record, validating as it goes; it holds one record at a time (plus the ids
 * of connections and transactions, see {@link StreamRules}), so a stream of any size reads in bounded memory.
 *
 * <pre>
 * try (MigrationReader r = MigrationReader.from(path)) {
 *     StreamHeader h = r.header();
 *     for (MigrationRecord rec = r.next(); rec != null; rec = r.next()) { ... }   // the last one is End
 * }
 * </pre>
 *
 * <p>Anything not well formed is a {@link MigrationStreamException} with the offset where it was found: a short
 * header or bad ident, a version other than 1 and 2, reserved flag bits, a record length not a multiple of 8 or
 * running past the end of the stream, a truncated record, an impossible field value (lengths that overrun their
 * record, strings without their NUL or with one inside, unknown connection types or field bits, permission letters
 * other than {@code n r w b}, reserved domain ids, ids of 0), a record naming a connection or transaction that did
 * not come before it, duplicate connection or transaction ids, domains or GLOBAL_DATA, an END with a body, no END
 * at all, or bytes after END. Other {@link IOException}s come from the underlying channel only.
 *
 * <p>Lengths are checked before anything is allocated: when the stream's size is known (byte array, file), a
 * record longer than what is left is rejected at once; otherwise (a plain {@link InputStream}) a long record is
 * read in chunks, so memory follows the bytes actually present, never the length claimed.
 *
 * <p>Records of a reserved type (9 and up) are returned as {@link UnknownRecord} and otherwise skipped, as the
 * specification's "reserved for future use" and C's readers do. WATCH_DATA_EXTENDED is accepted in a version 1
 * stream too, because C 4.21+ writes it there; see {@link WatchDataExtended} for the layouts read.
 */
public final class MigrationReader implements Closeable {
    /** Records longer than this are read in chunks when the stream's size is not known. */
    static final int CHUNK = 64 * 1024;

    private final Source in;
    private final StreamHeader header;
    private final StreamRules rules = new StreamRules();
    private final byte[] head = new byte[RecordCodec.RECORD_HEADER];
    private boolean allowTrailingData;
    private boolean ended;
    private long recordOffset = -1;
    private int recordType = -1;

    private MigrationReader(Source in) throws IOException {
        this.in = in;
        try {
            this.header = readHeader();
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads from a byte array (the whole stream); its size is known. */
    public static MigrationReader from(byte[] stream) throws IOException {
        return new MigrationReader(new Source(ByteBuffer.wrap(stream), null, stream.length));
    }

    /** Reads from a file; its size is known. */
    public static MigrationReader from(Path file) throws IOException {
        return from(FileChannel.open(file, StandardOpenOption.READ));
    }

    /**
     * Reads from a channel, from its current position; the size is known for a {@link SeekableByteChannel} (a
     * file). Closing the reader closes the channel.
     */
    public static MigrationReader from(ReadableByteChannel channel) throws IOException {
        long size = -1;
        if (channel instanceof SeekableByteChannel s) {
            size = s.size() - s.position();
        }
        return new MigrationReader(new Source(ByteBuffer.allocate(CHUNK).flip(), channel, size));
    }

    /** Reads from a stream of unknown size. Closing the reader closes the stream. */
    public static MigrationReader from(InputStream stream) throws IOException {
        return from(Channels.newChannel(stream));
    }

    /** Accepts bytes after END (by default they are an error: a stream ends with its END record). */
    public MigrationReader allowTrailingData() {
        this.allowTrailingData = true;
        return this;
    }

    public StreamHeader header() {
        return header;
    }

    /** The stream offset of the record {@link #next()} returned last; -1 before the first. */
    public long recordOffset() {
        return recordOffset;
    }

    /**
     * The type code in the stream of the record {@link #next()} returned last. It differs from the record's own
     * {@link MigrationRecord#type()} in one case: a WATCH_DATA_EXTENDED in C's layout, returned as {@link WatchData}.
     */
    public int recordType() {
        return recordType;
    }

    /** How many bytes have been consumed. */
    public long position() {
        return in.offset;
    }

    /**
     * The next record, {@link End} for the last one, then null.
     *
     * @throws MigrationStreamException if the stream is not well formed from here on
     */
    public MigrationRecord next() throws IOException {
        if (ended) {
            return null;
        }
        long at = in.offset;
        int got = in.read(head, 0, head.length);
        if (got < head.length) {
            throw new MigrationStreamException(got == 0 ? "stream ends without an END record"
                    : "truncated record header (" + got + " of 8 bytes)", at);
        }
        ByteBuffer hb = ByteBuffer.wrap(head).order(header.order());
        int type = hb.getInt(0);
        long len = Integer.toUnsignedLong(hb.getInt(4));
        recordOffset = at;
        recordType = type;
        if (type == RecordType.END) {
            if (len != 0) {
                throw new MigrationStreamException("END record with a body of " + len + " bytes", at + 4);
            }
            ended = true;
            if (!allowTrailingData && in.read(new byte[1], 0, 1) > 0) {
                throw new MigrationStreamException("data after the END record", in.offset - 1);
            }
            return End.INSTANCE;
        }
        if (len % 8 != 0) {
            throw new MigrationStreamException(RecordType.name(type) + ": record length " + len
                    + " not a multiple of 8 (the length counts the padding)", at + 4);
        }
        byte[] body = readBody(at, type, len);
        MigrationRecord r = decode(at, type, body);
        String bad = rules.accept(r);
        if (bad != null) {
            throw new MigrationStreamException(bad, at);
        }
        return r;
    }

    private byte[] readBody(long at, int type, long len) throws IOException {
        long left = in.remaining();
        if (left >= 0 && len > left) {
            throw new MigrationStreamException(RecordType.name(type) + ": record length " + len + " overruns the stream ("
                    + left + " bytes left)", at + 4);
        }
        if (len > Integer.MAX_VALUE - 8) {
            throw new MigrationStreamException(RecordType.name(type) + ": record length " + len
                    + " beyond what this reader supports", at + 4);
        }
        int n = (int) len;
        if (left >= 0 || n <= CHUNK) {
            byte[] body = new byte[n];
            int got = in.read(body, 0, n);
            if (got < n) {
                throw truncated(at, type, n, got);
            }
            return body;
        }
        // unknown size: grow with the bytes actually there
        byte[] body = new byte[CHUNK];
        int got = 0;
        while (got < n) {
            if (got == body.length) {
                body = Arrays.copyOf(body, (int) Math.min(n, 2L * body.length));
            }
            int r = in.read(body, got, body.length - got);
            got += r;
            if (got < body.length) {
                throw truncated(at, type, n, got);
            }
        }
        return body;
    }

    private static MigrationStreamException truncated(long at, int type, int len, int got) {
        return new MigrationStreamException(RecordType.name(type) + ": truncated record (" + got + " of " + len
                + " body bytes)", at + RecordCodec.RECORD_HEADER + got);
    }

    private MigrationRecord decode(long at, int type, byte[] body) throws IOException {
        if (!RecordType.isKnown(type)) {
            return new UnknownRecord(type, body);
        }
        RecordCodec.Body d = new RecordCodec.Body(body, header.order(), at + RecordCodec.RECORD_HEADER, type);
        try {
            if (type == RecordType.WATCH_DATA_EXTENDED) {
                RecordCodec.WatchExt w = RecordCodec.decodeWatchExt(d);
                if (w.giveBack() > 0) {
                    in.unread(body, body.length - w.giveBack(), w.giveBack());
                }
                return w.record();
            }
            return RecordCodec.decode(d, type, header.version());
        } catch (IllegalArgumentException e) {
            // a record constructor refused a value the decoder let through: still the stream's fault
            throw new MigrationStreamException(RecordType.name(type) + ": " + e.getMessage(), at, e);
        }
    }

    /** Reads every record up to and including END and hands each to {@code visitor}. */
    public void accept(MigrationVisitor visitor) throws IOException {
        for (MigrationRecord r = next(); r != null; r = next()) {
            MigrationVisitor.dispatch(r, visitor);
        }
    }

    /** Every remaining record, END included. For small streams: the list holds them all. */
    public List<MigrationRecord> readAll() throws IOException {
        List<MigrationRecord> all = new ArrayList<>();
        for (MigrationRecord r = next(); r != null; r = next()) {
            all.add(r);
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private StreamHeader readHeader() throws IOException {
        byte[] h = new byte[StreamHeader.SIZE];
        int got = in.read(h, 0, h.length);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.BIG_ENDIAN);
        if (got < 8 || b.getLong(0) != StreamHeader.IDENT) {
            if (got >= 8 || !startsLikeIdent(h, got)) {
                throw new MigrationStreamException("not a xenstore migration stream (no \"xenstore\" ident)", 0);
            }
        }
        if (got < h.length) {
            throw new MigrationStreamException("truncated stream header (" + got + " of 16 bytes)", got);
        }
        int version = b.getInt(8);
        int flags = b.getInt(12);
        if (version != StreamHeader.V1 && version != StreamHeader.V2) {
            throw new MigrationStreamException("unsupported migration stream version " + Integer.toUnsignedString(version)
                    + " (supported: 1, 2)", 8);
        }
        if ((flags & ~StreamHeader.FLAG_BIG_ENDIAN) != 0) {
            throw new MigrationStreamException(String.format("reserved header flags set: 0x%08x", flags), 12);
        }
        return new StreamHeader(version,
                (flags & StreamHeader.FLAG_BIG_ENDIAN) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private static boolean startsLikeIdent(byte[] h, int got) {
        byte[] ident = "xenstore".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < got; i++) {
            if (h[i] != ident[i]) {
                return false;
            }
        }
        return true;
    }

    /** Bytes from a buffer refilled from a channel, with the offset, the size when known, and an 8-byte give-back. */
    static final class Source {
        private final ByteBuffer buf;
        private final ReadableByteChannel channel;
        private final long size;
        private final byte[] pushback = new byte[RecordCodec.RECORD_HEADER];
        private int pushed;
        private boolean eof;
        long offset;

        Source(ByteBuffer buf, ReadableByteChannel channel, long size) {
            this.buf = buf;
            this.channel = channel;
            this.size = size;
            this.eof = channel == null;
        }

        /** Bytes left when the size is known, else -1. */
        long remaining() {
            return size < 0 ? -1 : size - offset;
        }

        /** Reads up to {@code len} bytes, fewer only at the end of the stream. */
        int read(byte[] dst, int off, int len) throws IOException {
            int done = 0;
            while (done < len && pushed > 0) {
                dst[off + done++] = pushback[pushback.length - pushed--];
            }
            while (done < len) {
                if (!buf.hasRemaining()) {
                    if (eof) {
                        break;
                    }
                    if (len - done >= buf.capacity()) {
                        // large read: straight into the destination
                        int r = channel.read(ByteBuffer.wrap(dst, off + done, len - done));
                        if (r < 0) {
                            eof = true;
                        } else {
                            done += r;
                        }
                        continue;
                    }
                    buf.clear();
                    int r = channel.read(buf);
                    buf.flip();
                    if (r < 0) {
                        eof = true;
                    }
                    continue;
                }
                int n = Math.min(len - done, buf.remaining());
                buf.get(dst, off + done, n);
                done += n;
            }
            offset += done;
            return done;
        }

        /** Gives back the last {@code len} (at most 8) bytes read, which {@code b[off..off+len)} holds. */
        void unread(byte[] b, int off, int len) {
            if (pushed != 0 || len > pushback.length) {
                throw new IllegalStateException("give-back of " + len + " bytes");
            }
            // the next read takes pushback[length - pushed] first
            System.arraycopy(b, off, pushback, pushback.length - len, len);
            pushed += len;
            offset -= len;
        }

        void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
