package org.jxenstored.control;

import org.jxenstored.logging.AccessLog;
import org.jxenstored.protocol.XsError;

/** {@code log on|off}: switches the access log (C: the trace log). */
public final class LogCommand implements ControlCommand {
    private final AccessLog accessLog;

    public LogCommand(AccessLog accessLog) {
        this.accessLog = accessLog;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String usage() {
        return "on|off";
    }

    @Override
    public String run(String[] args) {
        if (args.length != 1 || !("on".equals(args[0]) || "off".equals(args[0]))) {
            throw XsError.EINVAL.exception();
        }
        String problem = accessLog.setEnabled("on".equals(args[0]));
        return problem == null ? "OK" : problem;
    }
}
