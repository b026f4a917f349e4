package org.jxenstored.migration;

import java.io.IOException;

/**
 * A migration stream that is not well formed: truncated, bad magic, unsupported version, a record whose length
 * overruns the stream, an impossible field value, a record referring to one that did not come before it, no END.
 * {@link #offset()} is the byte offset in the stream where the problem was found (the start of the offending
 * record or field), or -1 when there is none.
 */
public final class MigrationStreamException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public MigrationStreamException(String message, long offset) {
        super(offset >= 0 ? message + " (at stream offset " + offset + ")" : message);
        this.offset = offset;
    }

    public MigrationStreamException(String message, long offset, Throwable cause) {
        this(message, offset);
        initCause(cause);
    }

    /** Byte offset in the stream of the offending header, record or field; -1 when unknown. */
    public long offset() {
        return offset;
    }
}
