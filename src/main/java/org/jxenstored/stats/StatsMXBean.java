package org.jxenstored.stats;

import java.util.List;
import java.util.Map;

/**
 * The daemon's statistics as a JMX MBean ({@code org.jxenstored:type=Stats} in the platform MBean server): the
 * figures of {@code xenstore-control stats}, read from a snapshot at most a second old (see
 * {@link DaemonStats#recent}).
 */
public interface StatsMXBean {
    String getVersion();

    long getUptimeSeconds();

    int getConnections();

    long getRequests();

    long getRequestErrors();

    /** Requests per domid (as a string: JMX tables want one key type). */
    Map<String, Long> getDomainRequests();

    long getOutstandingReplies();

    long getQueuedOutputBytes();

    long getQueuedOutputMessages();

    long getQueuedEvents();

    long getUnreadOutputBytes();

    long getOldestWaitingMillis();

    long getWatchEventsSent();

    long getWatchEventsMerged();

    long getWatchEventsDropped();

    long getWatchEventsExpired();

    long getWatchEventsOverMemoryQuota();

    /** Refusals per quota, by C's name ({@code memory-soft}: times the soft quota was exceeded). */
    Map<String, Long> getQuotaRefusals();

    long getWriteThrottled();

    long getWriteThrottledMillis();

    long getTransactionsStarted();

    long getTransactionsOpen();

    long getTransactionCommits();

    long getTransactionEagain();

    long getTransactionAborts();

    long getLiveUpdates();

    long getRestarts();

    /** Every connection, slowest reader first (the rows of {@code xenstore-control connections}). */
    List<ConnectionInfo> getConnectionList();

    /** {@code xenstore-control stats}, as text. */
    String getStatsText();

    /** {@code xenstore-control connections}, as text. */
    String getConnectionsText();
}
