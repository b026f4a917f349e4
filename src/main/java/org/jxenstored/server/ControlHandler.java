package org.jxenstored.server;

import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsMessage;

/**
 * What serves XS_CONTROL ({@code <command>|<args>...}): the operator commands, which the composition root installs
 * ({@link Server#setControl}); the server only routes privileged CONTROL requests here.
 */
@FunctionalInterface
public interface ControlHandler {
    /** No commands: every CONTROL request is EINVAL (an unknown command). */
    ControlHandler NONE = payload -> {
        throw XsError.EINVAL.exception();
    };

    /** The reply payload for a CONTROL request's payload; throws an XsException for an error reply. */
    byte[] handle(byte[] payload);

    /**
     * The reply payload for a CONTROL request from {@code conn}, or null when the reply comes later: the handler
     * keeps the request and sends the reply itself (live update's {@code -s}, which C answers only once the update
     * has happened or failed). Throws an XsException for an error reply.
     */
    default byte[] handle(Connection conn, XsMessage request) {
        return handle(request.payload);
    }
}
