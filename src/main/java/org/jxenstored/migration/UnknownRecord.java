package org.jxenstored.migration;

import java.util.Arrays;

/**
 * A record of a type the specification reserves for future use (9 and above). The reader skips such records as C
 * does (4.17 {@code xenstored_control.c} 737, HEAD {@code lu.c} 202: "unknown state record", logged and skipped),
 * handing them over so that a caller can log them; the writer writes them back as they were.
 *
 * @param type the type code, not one of 0-8
 * @param body the body as read, padding included (its length is a multiple of 8)
 */
public record UnknownRecord(int type, byte[] body) implements MigrationRecord {
    public UnknownRecord {
        if (RecordType.isKnown(type)) {
            throw new IllegalArgumentException(RecordType.name(type) + " is a known record type");
        }
        if (body.length % 8 != 0) {
            throw new IllegalArgumentException("record body length " + body.length + " not a multiple of 8");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownRecord u && type == u.type && Arrays.equals(body, u.body);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return RecordType.name(type) + " length=" + body.length;
    }
}
