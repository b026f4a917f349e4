package org.jxenstored.control;

import java.io.IOException;
import java.nio.file.Path;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;

/** Writes the daemon's state for a live-update successor (the migration stream, docs/migration-stream.md). */
@FunctionalInterface
public interface StateDump {
    /**
     * Writes the state to {@code file} as a stream of {@code version} (1 or 2). The file exists already, empty,
     * mode 0600. Runs on the store thread, where nothing changes meanwhile. The successor answers
     * {@code startRequest} with "OK": the reply goes last in the output of {@code liveUpdateConnection}, with
     * {@code startRequest}'s header (C's {@code lu_write_response}).
     *
     * @param toC whether the successor is C xenstored (then jxenstored's own records are left out)
     * @throws IOException when the state cannot be written; the update is then abandoned
     */
    void write(Path file, int version, Connection liveUpdateConnection, XsMessage startRequest, boolean toC)
            throws IOException;

    /** The update was abandoned after {@link #write} began (the daemon carries on): undo what readied the hand-over. */
    default void abandoned() {
    }
}
