package org.jxenstored.migration;

/**
 * WATCH_DATA ({@code xs_state_watch}): a watch of a connection, of unlimited depth.
 *
 * <pre>
 *  0: conn-id u32 | 4: wpath-len u16 | 6: token-len u16   (both lengths include the NUL)
 *  8: wpath NUL, token NUL, pad to 8
 * </pre>
 *
 * @param connId the watching connection's {@link ConnectionData#connId()}, which comes earlier in the stream
 * @param path the path as given to WATCH: relative watches of a domain stay relative ({@code data/x}), special
 *     ones start with {@code @}; not empty
 * @param token the token, possibly empty; a byte string (ISO-8859-1)
 */
public record WatchData(int connId, String path, String token) implements MigrationRecord {
    public WatchData {
        if (connId == 0) {
            throw new IllegalArgumentException("connection id 0");
        }
        Wire.checkCString(path, "watch path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty watch path");
        }
        Wire.checkCString(token, "watch token");
    }

    @Override
    public int type() {
        return RecordType.WATCH_DATA;
    }

    @Override
    public String toString() {
        return "WATCH conn=" + Integer.toUnsignedString(connId) + " path=" + Wire.quote(path) + " token="
                + Wire.quote(token);
    }
}
