package org.jxenstored.control;

import org.jxenstored.logging.AccessLog;
import org.jxenstored.server.Server;

/** Registers the operator commands of XS_CONTROL on a server (the daemon does this at start-up). */
public final class OperationsCommands {
    private OperationsCommands() {
    }

    public static void register(Server server, AccessLog accessLog, DomainView domains) {
        Control control = server.control();
        control.register(new CheckCommand(server, control.command("check")))
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
    }
}
