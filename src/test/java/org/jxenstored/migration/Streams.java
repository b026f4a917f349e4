package org.jxenstored.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Test shortcuts: records to bytes and back. */
final class Streams {
    private Streams() {
    }

    /** Writes {@code records} (END excluded or last) and END. */
    static byte[] write(List<MigrationRecord> records, MigrationWriter.Options options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MigrationWriter w = MigrationWriter.to(out, options)) {
            for (MigrationRecord r : records) {
                if (!(r instanceof End)) {
                    w.write(r);
                }
            }
            w.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Every record, END included. */
    static List<MigrationRecord> read(byte[] stream) throws IOException {
        try (MigrationReader r = MigrationReader.from(stream)) {
            return r.readAll();
        }
    }
}
