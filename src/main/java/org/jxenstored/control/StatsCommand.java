package org.jxenstored.control;

import org.jxenstored.protocol.XsError;
import org.jxenstored.stats.DaemonStats;
import org.jxenstored.stats.StatsFormat;

/**
 * {@code stats [FILE]}: the daemon's statistics, one {@code name<TAB>value} line each (ZooKeeper's {@code mntr}):
 * uptime, requests per type with errors and latencies, outstanding replies, queued output, the oldest waiting reply
 * or event, watch events, quota refusals, write-rate waits, transactions, live updates and restarts, requests per
 * domain. To FILE when given (the reply is then OK); a reply longer than a message can carry is cut after a whole
 * line and says so.
 */
public final class StatsCommand implements ControlCommand {
    private final DaemonStats stats;

    public StatsCommand(DaemonStats stats) {
        this.stats = stats;
    }

    @Override
    public String name() {
        return "stats";
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
        String text = StatsFormat.mntr(stats.snapshot());
        return args.length == 1 ? Report.toFile(text, args[0]) : Report.reply(text, "stats");
    }
}
