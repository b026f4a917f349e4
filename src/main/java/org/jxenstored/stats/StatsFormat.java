package org.jxenstored.stats;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The statistics as text: {@link #mntr} for {@code xenstore-control stats} (ZooKeeper's {@code mntr}: one
 * {@code name<TAB>value} line each, stable names, for people and scripts alike), {@link #connections} for
 * {@code xenstore-control connections} (ZooKeeper's {@code cons}: one line per connection, slowest reader first),
 * and {@link #prometheus} for node_exporter's textfile collector (Prometheus' text format 0.0.4).
 */
public final class StatsFormat {
    private StatsFormat() {
    }

    /** {@code stats}: {@code name<TAB>value} lines. */
    public static String mntr(StatsSnapshot s) {
        StringBuilder b = new StringBuilder(4096);
        line(b, "version", s.version());
        line(b, "uptime_seconds", TimeUnit.NANOSECONDS.toSeconds(s.uptimeNanos()));
        line(b, "started", s.startedAt().toString());
        line(b, "connections", s.connections().size());
        line(b, "connections_socket", s.connections().stream().filter(c -> "socket".equals(c.transport())).count());
        line(b, "connections_ring", s.connections().stream().filter(c -> "ring".equals(c.transport())).count());
        line(b, "requests", s.requests());
        line(b, "request_errors", s.requestErrors());
        for (StatsSnapshot.TypeRow t : s.types()) {
            String p = "request_" + t.name() + "_";
            line(b, p + "count", t.count());
            line(b, p + "errors", t.errors());
            line(b, p + "latency_p50_us", micros(t.p50Nanos()));
            line(b, p + "latency_p99_us", micros(t.p99Nanos()));
            line(b, p + "latency_max_us", micros(t.maxNanos()));
        }
        line(b, "outstanding_replies", s.outstandingReplies());
        line(b, "queued_output_bytes", s.queuedBytes());
        line(b, "queued_output_messages", s.queuedMessages());
        line(b, "queued_events", s.queuedEvents());
        line(b, "unread_output_bytes", s.unreadBytes());
        line(b, "oldest_waiting_ms", TimeUnit.NANOSECONDS.toMillis(s.oldestWaitingNanos()));
        line(b, "watch_events_sent", s.events().sent());
        line(b, "watch_events_merged", s.events().merged());
        line(b, "watch_events_dropped", s.events().dropped());
        line(b, "watch_events_expired", s.events().expired());
        line(b, "watch_events_over_memory_quota", s.events().overQuota());
        for (Map.Entry<String, Long> e : s.quotaRefusals().entrySet()) {
            line(b, "quota_refusals_" + e.getKey().replace('-', '_'), e.getValue());
        }
        line(b, "write_throttled", s.throttled());
        line(b, "write_throttled_ms", TimeUnit.NANOSECONDS.toMillis(s.throttledNanos()));
        line(b, "transactions_started", s.transactionsStarted());
        line(b, "transactions_open", s.transactionsOpen());
        line(b, "transaction_commits", s.commits());
        line(b, "transaction_eagain", s.conflicts());
        line(b, "transaction_aborts", s.aborts());
        line(b, "live_updates", s.liveUpdates());
        line(b, "restarts", s.restarts());
        // last: one line per domain, the part a reply cut to its 4096 bytes would lose first
        for (Map.Entry<Integer, Long> e : s.domainRequests().entrySet()) {
            line(b, "domain_" + e.getKey() + "_requests", e.getValue());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String name, Object value) {
        b.append(name).append('\t').append(value).append('\n');
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
    }

    /** The header of {@link #connections}. */
    static final String CONNECTIONS_HEADER = String.format(Locale.ROOT,
            "%-8s %5s %-6s %7s %3s %9s %6s %7s %9s %9s %10s %8s %8s %s%n", "conn", "domid", "via", "watches", "tx",
            "queued_B", "events", "replies", "unread_B", "oldest_ms", "requests", "throttle", "age_s", "state");

    /**
     * {@code connections}: a header, then one line per connection, slowest reader first: name ({@code A<n>} socket,
     * {@code D<domid>} ring), domain, transport, watches, open transactions, bytes waiting in the daemon's queue, and
     * the watch events and replies among them, bytes handed to the transport and not taken yet, how long the oldest
     * waiting reply or event has waited, requests served, write-credit waits, time connected, and whether its
     * requests are held back ({@code paused}) and why the transport says so.
     */
    public static String connections(StatsSnapshot s) {
        StringBuilder b = new StringBuilder(CONNECTIONS_HEADER);
        for (StatsSnapshot.ConnectionRow c : s.connections()) {
            String state = c.inputPaused() ? "paused" : "ok";
            if (!c.note().isEmpty()) {
                state += " (" + c.note() + ")";
            }
            b.append(String.format(Locale.ROOT, "%-8s %5d %-6s %7d %3d %9d %6d %7d %9d %9d %10d %8d %8d %s%n",
                    c.name(), c.domid(), c.transport(), c.watches(), c.transactions(), c.queuedBytes(),
                    c.queuedEvents(), c.queuedReplies(), c.unreadBytes(),
                    TimeUnit.NANOSECONDS.toMillis(c.oldestWaitingNanos()), c.requests(), c.throttled(),
                    TimeUnit.NANOSECONDS.toSeconds(c.connectedNanos()), state));
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------------ Prometheus

    /** The prefix of every metric. */
    public static final String PREFIX = "jxenstored_";

    /** Prometheus' text exposition format (version 0.0.4): HELP and TYPE, then the samples of each metric. */
    public static String prometheus(StatsSnapshot s) {
        StringBuilder b = new StringBuilder(8192);
        metric(b, "info", "gauge", "The daemon's version (always 1).");
        sample(b, "info", "version", s.version(), 1);
        metric(b, "start_time_seconds", "gauge", "When the daemon started, seconds since the epoch.");
        sample(b, "start_time_seconds", s.startedAt().toEpochMilli() / 1000.0);
        metric(b, "uptime_seconds", "gauge", "Seconds since the daemon started.");
        sample(b, "uptime_seconds", s.uptimeNanos() / 1e9);
        metric(b, "connections", "gauge", "Open connections by transport.");
        sample(b, "connections", "transport", "socket",
                s.connections().stream().filter(c -> "socket".equals(c.transport())).count());
        sample(b, "connections", "transport", "ring",
                s.connections().stream().filter(c -> "ring".equals(c.transport())).count());
        metric(b, "requests_total", "counter", "Requests served, by type.");
        for (StatsSnapshot.TypeRow t : s.types()) {
            sample(b, "requests_total", "type", t.name(), t.count());
        }
        metric(b, "request_errors_total", "counter", "Requests answered with an error, by type.");
        for (StatsSnapshot.TypeRow t : s.types()) {
            sample(b, "request_errors_total", "type", t.name(), t.errors());
        }
        metric(b, "request_latency_seconds", "summary",
                "Time to serve a request, by type, since the start (quantiles from an HdrHistogram).");
        for (StatsSnapshot.TypeRow t : s.types()) {
            String labels = "type=\"" + escape(t.name()) + "\",quantile=";
            b.append(PREFIX).append("request_latency_seconds{").append(labels).append("\"0.5\"} ")
                    .append(seconds(t.p50Nanos())).append('\n');
            b.append(PREFIX).append("request_latency_seconds{").append(labels).append("\"0.99\"} ")
                    .append(seconds(t.p99Nanos())).append('\n');
            sample(b, "request_latency_seconds_sum", "type", t.name(), t.totalNanos() / 1e9);
            sample(b, "request_latency_seconds_count", "type", t.name(), t.count());
        }
        metric(b, "request_latency_max_seconds", "gauge", "The longest time a request of the type took.");
        for (StatsSnapshot.TypeRow t : s.types()) {
            sample(b, "request_latency_max_seconds", "type", t.name(), t.maxNanos() / 1e9);
        }
        metric(b, "domain_requests_total", "counter",
                "Requests served, by domain (Dom0's socket clients are domain 0).");
        for (Map.Entry<Integer, Long> e : s.domainRequests().entrySet()) {
            sample(b, "domain_requests_total", "domid", Integer.toString(e.getKey()), e.getValue());
        }
        gauge(b, "outstanding_replies", "Replies waiting for their clients to read them.", s.outstandingReplies());
        gauge(b, "queued_output_bytes", "Bytes of replies and events waiting in the daemon's queues.",
                s.queuedBytes());
        gauge(b, "queued_output_messages", "Replies and events waiting in the daemon's queues.",
                s.queuedMessages());
        gauge(b, "queued_events", "Watch events waiting in the daemon's queues.", s.queuedEvents());
        gauge(b, "unread_output_bytes", "Bytes handed to transports that the clients have not taken yet.",
                s.unreadBytes());
        metric(b, "oldest_waiting_seconds", "gauge", "How long the oldest waiting reply or event has waited.");
        sample(b, "oldest_waiting_seconds", s.oldestWaitingNanos() / 1e9);
        metric(b, "watch_events_total", "counter",
                "Watch events by outcome: sent, merged (into a waiting one), dropped (too many waiting), expired "
                        + "(waited too long), over_memory_quota.");
        sample(b, "watch_events_total", "outcome", "sent", s.events().sent());
        sample(b, "watch_events_total", "outcome", "merged", s.events().merged());
        sample(b, "watch_events_total", "outcome", "dropped", s.events().dropped());
        sample(b, "watch_events_total", "outcome", "expired", s.events().expired());
        sample(b, "watch_events_total", "outcome", "over_memory_quota", s.events().overQuota());
        metric(b, "quota_refusals_total", "counter", "Refusals by quota (memory-soft: times it was exceeded).");
        for (Map.Entry<String, Long> e : s.quotaRefusals().entrySet()) {
            sample(b, "quota_refusals_total", "quota", e.getKey(), e.getValue());
        }
        counter(b, "write_throttled_total", "Times a guest's next request waited for write credit (XSA-206).",
                s.throttled());
        metric(b, "write_throttled_seconds_total", "counter", "The time those waits were set to last.");
        sample(b, "write_throttled_seconds_total", s.throttledNanos() / 1e9);
        counter(b, "transactions_started_total", "Transactions opened.", s.transactionsStarted());
        gauge(b, "transactions_open", "Transactions open now.", s.transactionsOpen());
        counter(b, "transaction_commits_total", "Transactions committed.", s.commits());
        counter(b, "transaction_eagain_total", "Commits answered EAGAIN (the client retries).", s.conflicts());
        counter(b, "transaction_aborts_total", "Transactions ended without committing.", s.aborts());
        counter(b, "live_updates_total", "Live updates (not implemented yet: 0).", s.liveUpdates());
        counter(b, "restarts_total", "Restarts that kept the store (not implemented yet: 0).", s.restarts());
        return b.toString();
    }

    private static void metric(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(PREFIX).append(name).append(' ').append(help.replace("\\", "\\\\")
                .replace("\n", "\\n")).append('\n');
        b.append("# TYPE ").append(PREFIX).append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        metric(b, name, "gauge", help);
        sample(b, name, value);
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        metric(b, name, "counter", help);
        sample(b, name, value);
    }

    private static void sample(StringBuilder b, String name, long value) {
        b.append(PREFIX).append(name).append(' ').append(value).append('\n');
    }

    private static void sample(StringBuilder b, String name, double value) {
        b.append(PREFIX).append(name).append(' ').append(value).append('\n');
    }

    private static void sample(StringBuilder b, String name, String label, String labelValue, long value) {
        b.append(PREFIX).append(name).append('{').append(label).append("=\"").append(escape(labelValue))
                .append("\"} ").append(value).append('\n');
    }

    private static void sample(StringBuilder b, String name, String label, String labelValue, double value) {
        b.append(PREFIX).append(name).append('{').append(label).append("=\"").append(escape(labelValue))
                .append("\"} ").append(value).append('\n');
    }

    private static String seconds(long nanos) {
        return Double.toString(nanos / 1e9);
    }

    /** A label value as the text format wants it: backslash, double quote and newline escaped. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
