package org.jxenstored.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million nodes written to a file and read back, in the default surefire JVM: neither side may hold the stream.
 * Heap in use (after a full GC) is sampled half-way through each direction; holding the records or the bytes
 * (about 56 MB of stream, several times that as objects) would show as tens of MB.
 */
class MillionNodesTest {
    private static final int NODES = 1_000_000;
    private static final long HEAP_GROWTH_LIMIT = 16L << 20;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private static long usedHeapAfterGc() {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private static NodeData node(int i) {
        return NodeData.committed("/local/domain/" + (i >>> 10) + "/n" + i,
                List.of(NodePerm.of(NodePerm.Access.NONE, i & 0x7fff), NodePerm.of(NodePerm.Access.READ, 0)),
                ("value-" + i).getBytes());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void writesAndReadsAMillionNodesInBoundedMemory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state_dump");
        long baseline = usedHeapAfterGc();
        long midWrite = 0;
        long t0 = System.nanoTime();
        try (MigrationWriter w = MigrationWriter.to(file, MigrationWriter.Options.v1())) {
            w.write(new GlobalData(3, 6));
            w.write(ConnectionData.idle(1, ConnectionData.Ring.of(0, 2)));
            for (int i = 0; i < NODES; i++) {
                w.write(node(i));
                if (i == NODES / 2) {
                    midWrite = usedHeapAfterGc();
                }
            }
            w.end();
        }
        long t1 = System.nanoTime();
        long size = Files.size(file);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .as("a new stream file is private, as C's state_dump").isEqualTo("rw-------");

        long[] midRead = new long[1];
        int[] count = new int[1];
        try (MigrationReader r = MigrationReader.from(file)) {
            r.accept(new MigrationVisitor() {
                @Override
                public void node(NodeData n) {
                    if (count[0] % 99_991 == 0) { // spot checks
                        assertThat(n).isEqualTo(MillionNodesTest.node(count[0]));
                    }
                    if (++count[0] == NODES / 2) {
                        midRead[0] = usedHeapAfterGc();
                    }
                }
            });
        }
        long t2 = System.nanoTime();

        System.out.printf("1M nodes: %d bytes; write %d ms, read %d ms; heap growth mid-write %d KiB, mid-read %d KiB%n",
                size, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (midWrite - baseline) >> 10,
                (midRead[0] - baseline) >> 10);
        assertThat(count[0]).isEqualTo(NODES);
        assertThat(size).isGreaterThan(50L * NODES);
        assertThat(midWrite - baseline).as("heap growth while writing").isLessThan(HEAP_GROWTH_LIMIT);
        assertThat(midRead[0] - baseline).as("heap growth while reading").isLessThan(HEAP_GROWTH_LIMIT);
    }
}
