package org.jxenstored.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;

/**
 * Valid streams, truncated, bit-flipped, or with a word overwritten (lengths and counts are words): reading them
 * either succeeds or throws {@link MigrationStreamException}, nothing else; and no length or count read from the
 * stream makes the reader allocate beyond what the stream holds. The reader allocates a few small objects per record
 * and copies each body once, so "bounded by the stream" is measured as at most 64 times the stream's size plus
 * 1 MiB (the 64 KiB buffers of the stream and channel paths included); a single allocation trusting a corrupt
 * length (up to 4 GiB) would exceed that by far.
 */
class CorruptionPropertyTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    enum Damage { TRUNCATE, FLIP_BITS, OVERWRITE_WORD, HUGE_LENGTH }

    @Property(tries = 1500)
    void damagedStreamsFailCleanlyInBoundedMemory(@ForAll long seed, @ForAll Damage damage,
            @ForAll @IntRange(min = 1, max = 2) int version, @ForAll boolean bigEndian) {
        Assumptions.assumeTrue(THREADS.isThreadAllocatedMemorySupported());
        Random rnd = new Random(seed);
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] stream = Streams.write(RandomStreams.generate(rnd, version),
                new MigrationWriter.Options(version, order));
        byte[] bad = damage(stream, damage, rnd, order);

        long limit = 64L * bad.length + (1 << 20);
        allocatedReading(bad, false); // once unmeasured: class loading and initialisation are not the reader's
        allocatedReading(bad, true);
        assertThat(allocatedReading(bad, false)).as("allocated reading %d bytes", bad.length).isLessThan(limit);
        assertThat(allocatedReading(bad, true)).as("allocated streaming %d bytes", bad.length).isLessThan(limit);
    }

    private static byte[] damage(byte[] s, Damage damage, Random rnd, ByteOrder order) {
        switch (damage) {
            case TRUNCATE:
                return Arrays.copyOf(s, rnd.nextInt(s.length));
            case FLIP_BITS: {
                byte[] b = s.clone();
                for (int i = 1 + rnd.nextInt(8); i > 0; i--) {
                    int bit = rnd.nextInt(b.length * 8);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return b;
            }
            case OVERWRITE_WORD: {
                byte[] b = s.clone();
                int at = rnd.nextInt(b.length / 4) * 4;
                ByteBuffer.wrap(b).order(order).putInt(at, rnd.nextBoolean() ? rnd.nextInt() : rnd.nextInt(70000));
                return b;
            }
            default: { // the length word of a record: walk the records, pick one
                byte[] b = s.clone();
                ByteBuffer buf = ByteBuffer.wrap(b).order(order);
                int at = 16;
                int target = rnd.nextInt(8);
                while (target-- > 0 && at + 8 <= b.length && buf.getInt(at) != RecordType.END) {
                    at += 8 + buf.getInt(at + 4);
                }
                int[] lengths = {-8, 0x7ffffff8, 0x10000000, 8 * (1 + rnd.nextInt(1 << 20))};
                buf.putInt(Math.min(at + 4, b.length - 4), lengths[rnd.nextInt(lengths.length)]);
                return b;
            }
        }
    }

    /** Bytes allocated by this thread reading {@code bad} to the end; fails on any exception but the stream's. */
    private static long allocatedReading(byte[] bad, boolean unknownSize) {
        long tid = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(tid);
        try (MigrationReader r = unknownSize ? MigrationReader.from(new ByteArrayInputStream(bad))
                : MigrationReader.from(bad)) {
            while (r.next() != null) {
                // records are dropped at once
            }
        } catch (MigrationStreamException expected) {
            assertThat(expected.offset()).isBetween(0L, (long) bad.length);
        } catch (Throwable t) {
            throw new AssertionError("not a MigrationStreamException: " + t, t);
        }
        return THREADS.getThreadAllocatedBytes(tid) - before;
    }
}
