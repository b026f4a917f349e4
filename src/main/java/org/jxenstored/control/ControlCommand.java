package org.jxenstored.control;

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
}
