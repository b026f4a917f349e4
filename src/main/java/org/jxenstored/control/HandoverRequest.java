package org.jxenstored.control;

import java.util.List;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;

/**
 * What a {@link Handover} needs of a live-update session.
 *
 * @param binary the new binary, as the operator named it ({@code -f})
 * @param argv the successor's argv, {@code binary} first (see {@link SuccessorArgv})
 * @param version the migration stream version to write ({@code -v}: 1 or 2)
 * @param connection the connection that asked ({@code -s}); the successor answers it
 * @param startRequest the {@code -s} request: its header goes with the successor's "OK"
 */
public record HandoverRequest(String binary, List<String> argv, int version, Connection connection,
        XsMessage startRequest) {
    public HandoverRequest {
        argv = List.copyOf(argv);
    }
}
