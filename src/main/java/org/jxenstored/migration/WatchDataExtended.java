package org.jxenstored.migration;

/**
 * WATCH_DATA_EXTENDED (version 2 only): a watch with a depth.
 *
 * <pre>
 *  0: conn-id u32 | 4: wpath-len u16 | 6: token-len u16 | 8: depth u16 | 10: pad u16
 * 12: wpath NUL, token NUL, pad to 8
 * </pre>
 *
 * <p>That is the specification's layout, which {@link MigrationWriter} writes. C's own struct disagrees with it
 * ({@code xs_state_watch_ext} puts {@code data[]} at offset 10) and C's writer (4.21 to at least 4.23,
 * {@code watch.c} {@code dump_state_watches}) writes only the first 8 bytes of the struct, so the depth is lost
 * and the path starts at offset 8, while the record length counts 12. {@link MigrationReader} reads the
 * specification's layout and falls back to C's (see there); C's reader reads neither correctly, so a stream for C
 * should carry depth-limited watches as plain {@link WatchData} (extra events, never a missed one).
 *
 * @param connId the watching connection's id
 * @param path as in {@link WatchData}
 * @param token as in {@link WatchData}
 * @param depth how many levels below {@code path} fire; {@link #UNLIMITED} for any
 */
public record WatchDataExtended(int connId, String path, String token, int depth) implements MigrationRecord {
    /** The depth value meaning unlimited. */
    public static final int UNLIMITED = 0xffff;

    public WatchDataExtended {
        new WatchData(connId, path, token); // same checks
        Wire.checkU16(depth, "watch depth");
    }

    /** This watch as a plain WATCH_DATA record: unlimited depth (for version 1 streams and for C readers). */
    public WatchData asPlainWatch() {
        return new WatchData(connId, path, token);
    }

    @Override
    public int type() {
        return RecordType.WATCH_DATA_EXTENDED;
    }

    @Override
    public String toString() {
        return "WATCH_EXT conn=" + Integer.toUnsignedString(connId) + " path=" + Wire.quote(path) + " token="
                + Wire.quote(token) + " depth=" + (depth == UNLIMITED ? "unlimited" : Integer.toString(depth));
    }
}
