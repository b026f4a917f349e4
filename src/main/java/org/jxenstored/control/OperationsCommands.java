package org.jxenstored.control;

import org.jxenstored.logging.AccessLog;
import org.jxenstored.server.Server;
import org.jxenstored.stats.DaemonStats;

/** The operator commands of XS_CONTROL, installed on a server by the composition root (the daemon, the tests). */
public final class OperationsCommands {
    private OperationsCommands() {
    }

    /**
     * Builds the command registry with every command and makes it serve the server's XS_CONTROL ({@code stats} and
     * {@code connections} read {@code stats}, whose recorder the caller installs on the server); {@code liveUpdate}
     * becomes the server's live-update gate.
     */
    public static Control install(Server server, AccessLog accessLog, DomainView domains, DaemonStats stats,
            LiveUpdate liveUpdate) {
        Control control = new Control();
        control.register(new CheckCommand(server))
                .register(new LogCommand(accessLog))
                .register(new LiveUpdateCommand(liveUpdate))
                .register(new LogfileCommand(accessLog))
                .register(new MemreportCommand(server))
                .register(new PrintCommand(accessLog::note))
                .register(QuotaCommand.hard(server, domains))
                .register(QuotaCommand.soft(server))
                .register(new WatchesCommand(server))
                .register(new CompactCommand())
                .register(new MfnCommand(domains))
                .register(new StatsCommand(stats))
                .register(new ConnectionsCommand(stats))
                .register(new XenbusCommand(server));
        server.setControl(control);
        server.setLiveUpdate(liveUpdate);
        return control;
    }
}
