package org.jxenstored.control;

import org.jxenstored.protocol.XsError;
import org.jxenstored.stats.DaemonStats;
import org.jxenstored.stats.StatsFormat;

/**
 * {@code connections [FILE]}: every connection, slowest reader first (ZooKeeper's {@code cons}): name, domain,
 * transport, watches, transactions, queued output, unread output, the age of its oldest waiting reply or event,
 * requests served, write-rate waits, time connected and whether its requests are held back. To FILE when given; a
 * reply longer than a message can carry keeps the slowest readers and says how many lines were left out.
 */
public final class ConnectionsCommand implements ControlCommand {
    private final DaemonStats stats;

    public ConnectionsCommand(DaemonStats stats) {
        this.stats = stats;
    }

    @Override
    public String name() {
        return "connections";
    }

    @Override
    public String usage() {
        return "[<file>]";
    }

    @Override
    public String run(String[] args) {
        if (args.length > 1) {
            throw XsError.EINVAL.exception();
        }
        String text = StatsFormat.connections(stats.snapshot());
        return args.length == 1 ? Report.toFile(text, args[0]) : Report.reply(text, "connections");
    }
}
