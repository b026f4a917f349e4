package org.jxenstored.migration;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes a migration stream record by record through a 64 KiB buffer: the stream is never held in memory, so a
 * million nodes write in the memory of one.
 *
 * <pre>
 * try (MigrationWriter w = MigrationWriter.to(path, MigrationWriter.Options.v1())) {
 *     w.write(new GlobalData(sock, evtchn));
 *     ...
 *     w.end();
 * }
 * </pre>
 *
 * <p>The header is written at creation; {@link #end()} writes END and flushes. Records are written exactly as C
 * does: lengths counting the padding, padding and unused fields zero. The writer refuses (with an
 * {@link IllegalArgumentException}, nothing written) what a reader would reject: records breaking the rules
 * between records ({@link StreamRules}), and WATCH_DATA_EXTENDED in a version 1 stream (write
 * {@link WatchDataExtended#asPlainWatch()} there). DOMAIN_DATA's features are written as 0 in version 1.
 *
 * <p>Ordering for a C reader (GLOBAL first, Dom0's ring before the nodes, nodes in pre-order, no pending nodes,
 * ...) is the caller's job; {@link C417Compatibility} checks a stream for C 4.17.
 */
public final class MigrationWriter implements Closeable, Flushable {
    /**
     * What to write.
     *
     * @param version {@link StreamHeader#V1} (every C from 4.17 reads it) or {@link StreamHeader#V2}
     * @param order byte order of the records: C writes (and checks for) the host's
     */
    public record Options(int version, ByteOrder order) {
        public Options {
            new StreamHeader(version, order); // same checks
        }

        /** Version 1 in the host's byte order: the default, what C 4.17 to 4.20 read. */
        public static Options v1() {
            return new Options(StreamHeader.V1, ByteOrder.nativeOrder());
        }

        /** Version 2 in the host's byte order. */
        public static Options v2() {
            return new Options(StreamHeader.V2, ByteOrder.nativeOrder());
        }

        public Options withOrder(ByteOrder o) {
            return new Options(version, o);
        }
    }

    private final Sink out;
    private final WritableByteChannel channel;
    private final Options options;
    private final StreamRules rules = new StreamRules();
    private boolean ended;
    private boolean closed;

    private MigrationWriter(WritableByteChannel channel, Options options) throws IOException {
        this.channel = channel;
        this.options = options;
        this.out = new Sink(channel, ByteOrder.BIG_ENDIAN);
        StreamHeader h = new StreamHeader(options.version(), options.order());
        out.u64(StreamHeader.IDENT);
        out.u32(h.version());
        out.u32(h.flags());
        out.order(options.order());
    }

    /** Writes to a channel; closing the writer closes it. */
    public static MigrationWriter to(WritableByteChannel channel, Options options) throws IOException {
        return new MigrationWriter(channel, options);
    }

    /** Writes to a stream; closing the writer closes it. */
    public static MigrationWriter to(OutputStream stream, Options options) throws IOException {
        return new MigrationWriter(Channels.newChannel(stream), options);
    }

    /**
     * Creates (or truncates) {@code file} and writes to it. A new file is created with mode 0600, as C creates its
     * {@code state_dump} (the stream holds every node, whatever its permissions).
     */
    public static MigrationWriter to(Path file, Options options) throws IOException {
        Set<StandardOpenOption> open = EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        FileChannel ch;
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            ch = FileChannel.open(file, open, PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } else {
            ch = FileChannel.open(file, open);
        }
        try {
            return new MigrationWriter(ch, options);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Options options() {
        return options;
    }

    /** Bytes written so far (buffered ones included): the offset the next record will have. */
    public long position() {
        return out.position();
    }

    /**
     * Appends a record. END is written by {@link #end()}.
     *
     * @throws IllegalArgumentException if {@code r} breaks a rule between records or is not valid in this version
     * @throws IllegalStateException after {@link #end()}
     */
    public void write(MigrationRecord r) throws IOException {
        if (ended || closed) {
            throw new IllegalStateException("stream already ended");
        }
        if (r instanceof End) {
            throw new IllegalArgumentException("END is written by end()");
        }
        if (r instanceof WatchDataExtended && options.version() < StreamHeader.V2) {
            throw new IllegalArgumentException("WATCH_DATA_EXTENDED needs a version 2 stream (write asPlainWatch())");
        }
        String bad = rules.accept(r);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        RecordCodec.encode(r, options.version(), out);
    }

    /** Writes END and flushes: the stream is complete. */
    public void end() throws IOException {
        if (ended || closed) {
            throw new IllegalStateException("stream already ended");
        }
        RecordCodec.encode(End.INSTANCE, options.version(), out);
        ended = true;
        out.flush();
    }

    /** Whether {@link #end()} was called. */
    public boolean ended() {
        return ended;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes and closes the channel. A stream closed without {@link #end()} has no END: readers reject it. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.flush();
        } finally {
            channel.close();
        }
    }
}
