package org.jxenstored.migration;

import java.nio.ByteOrder;

/**
 * The 16-byte preamble ({@code xs_state_preamble}): the ident {@code "xenstore"} (no NUL), the version and the
 * flags, both big-endian whatever the flags say. Flag bit 0 is the byte order of every record after the header
 * (0 little, 1 big); bits 1-31 are reserved and must be zero.
 *
 * @param version {@link #V1} or {@link #V2}
 * @param order the byte order of the records
 */
public record StreamHeader(int version, ByteOrder order) {
    /** The header's size in bytes. */
    public static final int SIZE = 16;
    /** {@code "xenstore"} in ASCII, without a NUL. */
    public static final long IDENT = 0x78656e73746f7265L;
    /** Version 1: what C xenstored 4.17-4.20 write and the only version they read. */
    public static final int V1 = 1;
    /** Version 2: WATCH_DATA_EXTENDED and DOMAIN_DATA's {@code features}; C 4.21+ writes it by default. */
    public static final int V2 = 2;
    /** Flags bit 0: records are big-endian. */
    public static final int FLAG_BIG_ENDIAN = 0x1;

    public StreamHeader {
        if (version != V1 && version != V2) {
            throw new IllegalArgumentException("migration stream version " + version + " (known: 1, 2)");
        }
        if (order == null) {
            throw new IllegalArgumentException("byte order missing");
        }
    }

    /** The flags word: the byte order bit. */
    public int flags() {
        return order == ByteOrder.BIG_ENDIAN ? FLAG_BIG_ENDIAN : 0;
    }
}
