package org.jxenstored.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.FakeConnection;
import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;

/** The three texts of the statistics: {@code stats} (mntr), {@code connections} (cons) and the Prometheus file. */
class StatsFormatTest {
    private final Server server = new Server(new Limits());
    private final DaemonStats stats = new DaemonStats(server, "9.9", Runnable::run);
    private final FakeConnection dom0 = new FakeConnection(0, true, server, "socket");

    {
        server.setRequestStats(stats.recorder());
        server.connect(dom0);
    }

    private void request(XsType type, byte[] payload) {
        server.handler().handle(dom0, new XsMessage(type.code, 1, 0, payload));
    }

    private StatsSnapshot busy() {
        for (int i = 0; i < 20; i++) {
            request(XsType.WRITE, ("/f/" + i + "\0v").getBytes(StandardCharsets.ISO_8859_1));
        }
        request(XsType.READ, Payload.nulTerminated("/f/1"));
        request(XsType.READ, Payload.nulTerminated("/missing"));
        request(XsType.TRANSACTION_START, Payload.nulTerminated(""));
        return stats.snapshot();
    }

    static Map<String, String> mntrLines(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] kv = line.split("\t", -1);
            assertThat(kv).as("name TAB value: " + line).hasSize(2);
            assertThat(kv[0]).as("a name").matches("[a-z0-9_]+");
            assertThat(out.put(kv[0], kv[1])).as("once: " + kv[0]).isNull();
        }
        return out;
    }

    @Test
    void statsIsOneNameTabValueLineEach() {
        Map<String, String> m = mntrLines(StatsFormat.mntr(busy()));
        assertThat(m).containsEntry("version", "9.9").containsEntry("requests", "23").containsEntry("request_errors",
                "1").containsEntry("request_write_count", "20").containsEntry("request_read_errors", "1")
                .containsEntry("domain_0_requests", "23").containsEntry("transactions_started", "1")
                .containsEntry("transactions_open", "1").containsEntry("live_updates", "0")
                .containsEntry("restarts", "0").containsEntry("connections_socket", "1")
                .containsKeys("uptime_seconds", "request_write_latency_p50_us", "request_write_latency_p99_us",
                        "request_write_latency_max_us", "outstanding_replies", "queued_output_bytes",
                        "queued_events", "oldest_waiting_ms", "watch_events_sent", "watch_events_merged",
                        "watch_events_dropped", "watch_events_expired", "quota_refusals_nodes",
                        "quota_refusals_memory_soft", "write_throttled", "transaction_commits",
                        "transaction_eagain", "transaction_aborts");
        assertThat(Double.parseDouble(m.get("request_write_latency_p50_us"))).isPositive();
        assertThat(m.keySet()).as("no type that was not seen").doesNotContain("request_mkdir_count");
    }

    @Test
    void prometheusTextIsValidAndHasTheSameFigures() {
        StatsSnapshot s = busy();
        Map<String, Double> p = PrometheusText.parse(StatsFormat.prometheus(s));
        assertThat(p).containsEntry("jxenstored_requests_total{type=\"write\"}", 20.0)
                .containsEntry("jxenstored_request_errors_total{type=\"read\"}", 1.0)
                .containsEntry("jxenstored_request_latency_seconds_count{type=\"write\"}", 20.0)
                .containsEntry("jxenstored_domain_requests_total{domid=\"0\"}", 23.0)
                .containsEntry("jxenstored_quota_refusals_total{quota=\"node-size\"}", 0.0)
                .containsEntry("jxenstored_watch_events_total{outcome=\"expired\"}", 0.0)
                .containsEntry("jxenstored_transactions_open", 1.0)
                .containsEntry("jxenstored_live_updates_total", 0.0)
                .containsEntry("jxenstored_restarts_total", 0.0)
                .containsEntry("jxenstored_connections{transport=\"socket\"}", 1.0)
                .containsEntry("jxenstored_info{version=\"9.9\"}", 1.0)
                .containsKeys("jxenstored_uptime_seconds", "jxenstored_oldest_waiting_seconds",
                        "jxenstored_write_throttled_seconds_total", "jxenstored_transaction_eagain_total");
        double p50 = p.get("jxenstored_request_latency_seconds{type=\"write\",quantile=\"0.5\"}");
        double p99 = p.get("jxenstored_request_latency_seconds{type=\"write\",quantile=\"0.99\"}");
        double max = p.get("jxenstored_request_latency_max_seconds{type=\"write\"}");
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(max);
        assertThat(max).isLessThan(10);
    }

    @Test
    void theParserOfTheTestsRejectsWhatNodeExporterWould() {
        assertThatThrownBy(() -> PrometheusText.parse("x 1\n")).hasMessageContaining("outside");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx 1")).hasMessageContaining("newline");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=\"b} 1\n")).hasMessageContaining("not");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\n# TYPE y gauge\ny 1\nx 2\n"))
                .hasMessageContaining("outside");
        assertThat(PrometheusText.parse("# TYPE x summary\nx{quantile=\"0.5\"} 1\nx_sum 2\nx_count 3\n"))
                .hasSize(3);
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(StatsFormat.escape("a\\b\"c\nd")).isEqualTo("a\\\\b\\\"c\\nd");
    }
}
