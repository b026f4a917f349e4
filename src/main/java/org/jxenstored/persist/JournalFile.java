package org.jxenstored.persist;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only file of checksummed frames: a header (magic, the boot it belongs to, its generation), then frames
 * of {@code length u32 | crc32c u32 | payload}. Frames are stored through a shared memory mapping of the file: no
 * system call per frame, and on tmpfs what is stored survives the process at once (no fsync: the state must not
 * outlive the boot anyway). A process
 * killed in the middle of a write leaves a torn last frame, which its checksum exposes: {@link #read} stops there,
 * and those changes were never acknowledged (their replies go out only after the write returns).
 */
final class JournalFile implements Closeable {
    static final long MAGIC = 0x314c4e524a53584aL; // "JXSJRNL1" little-endian
    static final int HEADER = 64;
    private static final int FRAME_HEADER = 8;
    /** Frames beyond this are refused: a corrupt length, not a batch (a batch is a few KiB; a snapshot can be big). */
    private static final int MAX_FRAME = 1 << 30;
    /** How much of the file is mapped at a time: the journal grows by this much (zeros, on tmpfs: not yet memory). */
    static final int CHUNK = 8 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    /** The part of the file being appended to: memory shared with the page cache, so no system call per frame. */
    private MappedByteBuffer map;
    /** The file offset {@link #map} starts at. */
    private long mapStart;
    private long size;

    private JournalFile(FileChannel channel, long size) throws IOException {
        this.channel = channel;
        this.size = size;
        remap(size, 0);
    }

    /** Creates {@code file} (replacing any) for {@code bootId} and {@code generation}. */
    static JournalFile create(Path file, String bootId, long generation) throws IOException {
        Files.deleteIfExists(file);
        // 0600: the state holds every node, whatever its permissions
        FileChannel ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")));
        ByteBuffer h = header(bootId, generation);
        while (h.hasRemaining()) {
            ch.write(h);
        }
        return new JournalFile(ch, HEADER);
    }

    /**
     * Opens an existing, already validated file for appending after its last valid frame ({@code validEnd}): what
     * follows (a torn frame, zeros) is cut off first, so that nothing of it can be taken for a frame later.
     */
    static JournalFile append(Path file, long validEnd) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ch.truncate(validEnd);
        return new JournalFile(ch, validEnd);
    }

    private static ByteBuffer header(String bootId, long generation) {
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(MAGIC);
        h.putLong(generation);
        byte[] id = bootId.getBytes(StandardCharsets.US_ASCII);
        h.putInt(id.length);
        h.put(id, 0, Math.min(id.length, HEADER - 20));
        h.clear();
        return h;
    }

    /**
     * Maps the file from {@code offset} on, with room for at least {@code need} bytes. The room is written with zeros
     * first: a store into a mapped page the file system cannot back (a full tmpfs) is a SIGBUS, which the JVM
     * reports later, anywhere on the thread; a write reports ENOSPC here, where it can be handled.
     */
    private void remap(long offset, int need) throws IOException {
        int length = Math.max(CHUNK, need);
        ByteBuffer zeros = ZEROS.duplicate();
        for (long at = offset; at < offset + length; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), offset + length - at));
            at += channel.write(zeros, at);
        }
        MappedByteBuffer previous = map;
        map = channel.map(FileChannel.MapMode.READ_WRITE, offset, length);
        map.order(ByteOrder.LITTLE_ENDIAN);
        mapStart = offset;
        unmap(previous);
    }

    /**
     * Unmaps a chunk no longer written now rather than when the collector gets to its buffer: its pages (the tmpfs
     * file's, which stay in the file) would otherwise count in the daemon's resident memory meanwhile, once for
     * every 8 MiB the journal grew. Only this class holds the buffer, so nothing can touch it afterwards.
     */
    private static void unmap(MappedByteBuffer buffer) {
        if (buffer != null) {
            Unmapper.unmap(buffer);
        }
    }

    /**
     * Appends one frame holding {@code payload}'s remaining bytes. Memory stores into the shared mapping: once
     * they are done, the frame survives the process (not a crash of the kernel: the state must not outlive the boot
     * anyway). The length goes last, so that a frame is never seen before its bytes are all there.
     */
    void append(ByteBuffer payload) throws IOException {
        int len = payload.remaining();
        int need = FRAME_HEADER + len;
        if (size - mapStart + need > map.capacity()) {
            remap(size, need);
        }
        int at = (int) (size - mapStart);
        crc.reset();
        crc.update(payload.duplicate());
        map.putInt(at + 4, (int) crc.getValue());
        map.put(at + FRAME_HEADER, payload, payload.position(), len);
        map.putInt(at, len);
        size += need;
    }

    /** Bytes of frames in the file (its header included). */
    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        unmap(map);
        map = null;
        channel.truncate(size); // the mapped room not used
        channel.close();
    }

    /** What a file holds: its identity, its valid frames, and where they end. */
    record Contents(String bootId, long generation, List<ByteBuffer> frames, long validEnd, long fileSize) {
        /** Whether the file ends in a torn or corrupt frame (dropped). */
        boolean torn() {
            return validEnd < fileSize;
        }
    }

    /** Reads a file; null when it is not one of ours (or its header is incomplete). */
    static Contents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < HEADER || b.getLong(0) != MAGIC) {
            return null;
        }
        long generation = b.getLong(8);
        int idLen = b.getInt(16);
        if (idLen < 0 || idLen > HEADER - 20) {
            return null;
        }
        String bootId = new String(all, 20, idLen, StandardCharsets.US_ASCII);
        List<ByteBuffer> frames = new ArrayList<>();
        int pos = HEADER;
        CRC32C crc = new CRC32C();
        while (all.length - pos >= FRAME_HEADER) {
            int len = b.getInt(pos);
            int sum = b.getInt(pos + 4);
            if (len <= 0 || len > MAX_FRAME || len > all.length - pos - FRAME_HEADER) {
                break; // 0: the end of what was written (the mapped room beyond it is zeros)
            }
            crc.reset();
            crc.update(all, pos + FRAME_HEADER, len);
            if ((int) crc.getValue() != sum) {
                break;
            }
            frames.add(ByteBuffer.wrap(all, pos + FRAME_HEADER, len).slice().order(ByteOrder.LITTLE_ENDIAN));
            pos += FRAME_HEADER + len;
        }
        // The mapped room not used is zeros, not a torn frame: the last non-zero byte ends what was written. Eight
        // bytes at a time first: a crash restart reads up to 8 MiB of zeros with a cold JIT (~20 ms byte by byte).
        long written = all.length;
        while (written - Long.BYTES >= pos && b.getLong((int) written - Long.BYTES) == 0) {
            written -= Long.BYTES;
        }
        while (written > pos && all[(int) written - 1] == 0) {
            written--;
        }
        return new Contents(bootId, generation, frames, pos, written);
    }
}
