package org.jxenstored.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Random streams of every record type, v1 and v2, both byte orders: read(write(records)) == records, bytes stable. */
class RoundTripPropertyTest {
    @Property(tries = 300)
    void recordsSurviveWriteAndRead(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int version,
            @ForAll boolean bigEndian) throws Exception {
        List<MigrationRecord> records = RandomStreams.generate(new Random(seed), version);
        MigrationWriter.Options options = new MigrationWriter.Options(version,
                bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        byte[] stream = Streams.write(records, options);
        assertThat(stream.length % 8).isZero();

        List<MigrationRecord> expected = new ArrayList<>(records);
        expected.add(End.INSTANCE);
        try (MigrationReader r = MigrationReader.from(stream)) {
            assertThat(r.header()).isEqualTo(new StreamHeader(version, options.order()));
            assertThat(r.readAll()).containsExactlyElementsOf(expected);
        }
        // the same through a channel of unknown size, fed in odd pieces
        try (MigrationReader r = MigrationReader.from(new TrickleInputStream(stream, seed))) {
            assertThat(r.readAll()).containsExactlyElementsOf(expected);
        }
        // writing what was read gives the same bytes
        assertThat(Streams.write(Streams.read(stream), options)).isEqualTo(stream);
    }

    @Property(tries = 50)
    void writerToAChannelMatchesWriterToAStream(@ForAll long seed) throws Exception {
        List<MigrationRecord> records = RandomStreams.generate(new Random(seed), 2);
        ByteArrayOutputStream viaChannel = new ByteArrayOutputStream();
        try (MigrationWriter w = MigrationWriter.to(Channels.newChannel(viaChannel), MigrationWriter.Options.v2())) {
            for (MigrationRecord r : records) {
                w.write(r);
            }
            w.end();
            assertThat(w.position()).isEqualTo(viaChannel.size());
        }
        assertThat(viaChannel.toByteArray()).isEqualTo(Streams.write(records, MigrationWriter.Options.v2()));
    }

    /** Hands out 1 to 17 bytes per read: the reader must not assume a read fills its buffer. */
    static final class TrickleInputStream extends ByteArrayInputStream {
        private final Random rnd;

        TrickleInputStream(byte[] b, long seed) {
            super(b);
            this.rnd = new Random(seed);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + rnd.nextInt(17)));
        }
    }
}
