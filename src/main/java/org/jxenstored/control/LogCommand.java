package org.jxenstored.control;

import java.util.Map;
import org.jxenstored.logging.AccessLog;
import org.jxenstored.protocol.XsError;

/**
 * {@code log [on|off|+<switch>|-<switch>]} (C 4.22's command, acting on the access log where C acts on its trace
 * log): {@code on} and {@code off} switch the log, {@code +<switch>} and {@code -<switch>} switch one kind of
 * request in it, and without an argument the switches are listed in C's format ({@code Log switch settings:}, then
 * {@code %-8s: on|off} per switch). C's switches are its trace categories ({@code obj io wrl acc tdb}); the access
 * log's are {@code read}, {@code trans} and {@code special} (see {@link AccessLog#switches()}).
 */
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
        return "[on|off|+<switch>|-<switch>]";
    }

    @Override
    public String run(String[] args) {
        if (args.length == 0) {
            StringBuilder sb = new StringBuilder("Log switch settings:\n");
            for (Map.Entry<String, Boolean> e : accessLog.switches().entrySet()) {
                sb.append(String.format("%-8s: %s\n", e.getKey(), e.getValue() ? "on" : "off"));
            }
            return sb.toString();
        }
        if (args.length != 1) {
            throw XsError.EINVAL.exception();
        }
        String arg = args[0];
        if ("on".equals(arg) || "off".equals(arg)) {
            String problem = accessLog.setEnabled("on".equals(arg));
            return problem == null ? "OK" : problem;
        }
        if (arg.isEmpty() || (arg.charAt(0) != '+' && arg.charAt(0) != '-')
                || !accessLog.setSwitch(arg.substring(1), arg.charAt(0) == '+')) {
            throw XsError.EINVAL.exception();
        }
        return "OK";
    }
}
