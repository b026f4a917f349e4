package org.jxenstored.domain;

/** How the domain layer treats dead domains. */
public final class DomainOptions {
    /** Keep the nodes a dead domain owned (handing them to Dom0) instead of deleting them: C's {@code -K}. */
    public boolean keepOrphans;
    /**
     * Every this many seconds, look at every guest's ring as if its event channel had fired: a safety net for a lost
     * notification (oxenstored's {@code ring-scan-interval}); 0 or less: never.
     */
    public int ringScanIntervalSeconds;
}
