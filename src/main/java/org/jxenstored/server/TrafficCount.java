package org.jxenstored.server;

/**
 * What each connection counts for the statistics ({@link Connection#count}). When a connection closes, its counts
 * are added to the server's ({@link ServerCounters#closed}), so that a total over the daemon's life is the closed
 * connections' counts plus the open ones'.
 */
public enum TrafficCount {
    /** Requests served (answered, with a reply or an error). */
    REQUESTS,
    /** Watch events handed to the transport. */
    EVENTS_SENT,
    /** Watch events merged into an identical one still waiting (not sent twice). */
    EVENTS_MERGED,
    /** Watch events dropped because too many waited for the reader ({@code quota-maxwatchevents}). */
    EVENTS_DROPPED,
    /** Watch events dropped unsent after waiting longer than {@code watch-event-timeout}. */
    EVENTS_EXPIRED,
    /** Watch events dropped because waiting for them would take the reader's domain over its memory quota. */
    EVENTS_OVER_QUOTA,
    /** Times a ring's requests had to wait for write credit (XSA-206 write-rate limiting). */
    THROTTLED,
    /** The time those waits were set to last, in nanoseconds. */
    THROTTLED_NANOS
}
