package org.jxenstored.control;

import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;

/** One XS_CONTROL command. */
public interface ControlCommand {
    /** The command word clients send. */
    String name();

    /** Argument synopsis for {@code help}. */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command word
     * @return the reply text (sent NUL-terminated)
     * @throws org.jxenstored.protocol.XsException for a bad argument (EINVAL, as C xenstored answers)
     */
    String run(String[] args);

    /**
     * Runs the command for a request of {@code conn}: what commands bound to a connection or answering later
     * override (live-update). Returns the reply text, or null when the command sends the reply itself later.
     */
    default String run(String[] args, Connection conn, XsMessage request) {
        return run(args);
    }
}
