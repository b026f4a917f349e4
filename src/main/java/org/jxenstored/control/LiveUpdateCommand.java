package org.jxenstored.control;

/**
 * {@code live-update ...}: not supported yet. Answers with a text rather than an error, so that xenstore-control
 * shows it ("Setting update binary failed: ...") and exits with status 3.
 */
public final class LiveUpdateCommand implements ControlCommand {
    public static final String ANSWER = "Live update is not supported by jxenstored yet: restart the daemon instead"
            + " (guests keep their state only with live update)";

    @Override
    public String name() {
        return "live-update";
    }

    @Override
    public String usage() {
        return "[-c <cmdline>] [-F] [-t <timeout>] <file>\n    Not supported by jxenstored yet.";
    }

    @Override
    public String run(String[] args) {
        return ANSWER;
    }
}
