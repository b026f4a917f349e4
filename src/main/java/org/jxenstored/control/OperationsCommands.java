package org.jxenstored.control;

import org.jxenstored.logging.AccessLog;
import org.jxenstored.server.Server;

/** The operator commands of XS_CONTROL, installed on a server by the composition root (the daemon, the tests). */
public final class OperationsCommands {
    private OperationsCommands() {
    }

    /** Builds the command registry with every command and makes it serve the server's XS_CONTROL. */
    public static Control install(Server server, AccessLog accessLog, DomainView domains) {
        Control control = new Control();
        control.register(new CheckCommand(server))
                .register(new LogCommand(accessLog))
                .register(new LiveUpdateCommand())
                .register(new LogfileCommand(accessLog))
                .register(new MemreportCommand(server))
                .register(new PrintCommand(accessLog::note))
                .register(QuotaCommand.hard(server, domains))
                .register(QuotaCommand.soft(server))
                .register(new WatchesCommand(server))
                .register(new CompactCommand())
                .register(new MfnCommand(domains));
        server.setControl(control);
        return control;
    }
}
