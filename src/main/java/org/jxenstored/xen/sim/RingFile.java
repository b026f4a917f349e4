package org.jxenstored.xen.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jxenstored.xen.XenPlatform;

/**
 * A simulated domain's xenstore page: a 4 KiB file that the daemon and the guest each map, so that they really share
 * memory (across processes too). The mapping lives as long as its buffer.
 */
final class RingFile {
    private static final int PAGE_SIZE = 4096;

    private RingFile() {
    }

    /** Maps {@code file}, creating it zeroed (a fresh page) when it does not exist. */
    static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, PAGE_SIZE);
        }
    }

    /** The daemon's mapping of {@code file}. */
    static XenPlatform.RingMapping mapping(Path file) throws IOException {
        MappedByteBuffer page = map(file);
        return new XenPlatform.RingMapping() {
            @Override
            public ByteBuffer page() {
                return page;
            }

            @Override
            public void close() {
                // the mapping goes with the buffer
            }
        };
    }
}
