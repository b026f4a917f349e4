package org.jxenstored.control;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.jxenstored.logging.AccessLog;
import org.jxenstored.protocol.XsError;

/** {@code logfile <file>}: moves the access log to another file and switches it on (as C's trace file). */
public final class LogfileCommand implements ControlCommand {
    private final AccessLog accessLog;

    public LogfileCommand(AccessLog accessLog) {
        this.accessLog = accessLog;
    }

    @Override
    public String name() {
        return "logfile";
    }

    @Override
    public String usage() {
        return "<file>";
    }

    @Override
    public String run(String[] args) {
        if (args.length != 1 || args[0].isEmpty()) {
            throw XsError.EINVAL.exception();
        }
        Path file;
        try {
            file = Path.of(args[0]).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw XsError.EINVAL.exception();
        }
        String problem = accessLog.setFile(file);
        return problem == null ? "OK" : problem;
    }
}
