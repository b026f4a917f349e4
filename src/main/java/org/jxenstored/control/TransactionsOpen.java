package org.jxenstored.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jxenstored.server.Connection;

/**
 * The open transactions a live update waits for, per connection (C's {@code lu_check_lu_allowed} and
 * {@code lu_reject_reason}): a connection counts from its first transaction opened without a break.
 */
final class TransactionsOpen {
    private final int total;
    /** "Domain N: S s" for each connection with transactions open for at least the timeout, in connection order. */
    private final List<String> longRunning;

    private TransactionsOpen(int total, List<String> longRunning) {
        this.total = total;
        this.longRunning = longRunning;
    }

    static TransactionsOpen of(Collection<Connection> connections, long timeoutSeconds) {
        int total = 0;
        List<String> longRunning = new ArrayList<>();
        for (Connection c : connections) {
            if (c.isClosed() || c.transactions().isEmpty()) {
                continue;
            }
            total++;
            long seconds = c.transactionsOpenForNanos() / 1_000_000_000L;
            if (seconds >= timeoutSeconds) {
                longRunning.add("Domain " + c.domid() + ": " + seconds + " s");
            }
        }
        return new TransactionsOpen(total, longRunning);
    }

    /** None open, or (forced) all open for at least the timeout. */
    boolean allowUpdate(boolean force) {
        return total == 0 || (force && longRunning.size() == total);
    }

    /** C's text when the timeout has passed with transactions open. */
    String rejectReason() {
        if (longRunning.isEmpty()) {
            return LiveUpdate.OVERLAPPING;
        }
        return LiveUpdate.LONG_RUNNING + "\n" + String.join("\n", longRunning);
    }
}
