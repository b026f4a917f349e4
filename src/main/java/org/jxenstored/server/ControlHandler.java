package org.jxenstored.server;

import org.jxenstored.protocol.XsError;

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
}
