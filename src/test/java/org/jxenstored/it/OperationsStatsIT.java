package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.it.ExternalTools.Result;
import org.jxenstored.testing.SimHost;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;

/**
 * Issue 16.4 through Debian's real xenstore-control (the binary of xen-utils-4.17): {@code stats},
 * {@code connections} and {@code xenbus <domid>} on a daemon whose guests are served over their rings (a simulated
 * Xen), and the Prometheus file of a daemon started with it.
 */
class OperationsStatsIT {
    private static final Path XENSTORE_CONTROL = OperationsXenstoreControlIT.XENSTORE_CONTROL;

    private static Result xc(Path socket, String... args) throws Exception {
        ExternalTools.requireExecutable(XENSTORE_CONTROL, "xen-utils-4.17");
        List<String> cmd = new ArrayList<>();
        cmd.add(XENSTORE_CONTROL.toString());
        cmd.addAll(List.of(args));
        return ExternalTools.run(socket, Duration.ofSeconds(20), cmd);
    }

    private static Result xenstore(Path socket, String... cmd) throws Exception {
        return ExternalTools.run(socket, Duration.ofSeconds(20), List.of(cmd));
    }

    private static Map<String, String> mntr(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                String[] kv = line.split("\t");
                assertThat(kv).as(line).hasSize(2);
                m.put(kv[0], kv[1]);
            }
        }
        return m;
    }

    private static SimGuest boot(SimHost host, XsTestClient dom0, int domid) {
        SimGuest g = host.createGuest(domid);
        String home = "/local/domain/" + domid;
        dom0.write(home, "");
        dom0.setPerms(home, "n" + domid);
        XsTestClient.Msg m = dom0.request(XsTestClient.INTRODUCE, XsTestClient.nul(Integer.toString(domid), "0",
                Integer.toString(g.port())));
        assertThat(m.text()).isEqualTo("OK\0");
        return g;
    }

    @Test
    void statsConnectionsAndXenbusOnAHostWithGuests() throws Exception {
        ExternalTools.requireExecutable(XENSTORE_CONTROL, "xen-utils-4.17");
        ExternalTools.requireXenstoreUtils();
        try (SimHost host = SimHost.start(); XsTestClient dom0 = XsTestClient.connect(host.socketPath())) {
            SimGuest g = boot(host, dom0, 3);
            assertThat(xenstore(host.socketPath(), "/usr/bin/xenstore-write", "/tool/a", "1").exitCode()).isZero();
            assertThat(xenstore(host.socketPath(), "/usr/bin/xenstore-read", "/tool/none").exitCode()).isNotZero();
            String value = new String(g.request(org.jxenstored.protocol.XsType.READ, 0,
                    org.jxenstored.protocol.Payload.nulTerminated("/local/domain/3")).payload);
            assertThat(value).isEmpty();

            Result stats = xc(host.socketPath(), "stats");
            assertThat(stats.exitCode()).as(stats.describe()).isZero();
            Map<String, String> m = mntr(stats.out());
            assertThat(m).containsKeys("uptime_seconds", "requests", "request_errors", "request_write_count",
                    "request_write_latency_p50_us", "request_write_latency_p99_us", "request_write_latency_max_us",
                    "outstanding_replies", "queued_output_bytes", "queued_events", "oldest_waiting_ms",
                    "watch_events_sent", "watch_events_merged", "watch_events_dropped", "watch_events_expired",
                    "quota_refusals_nodes", "write_throttled", "transaction_commits", "transaction_eagain",
                    "live_updates", "restarts", "domain_0_requests", "domain_3_requests");
            assertThat(m).containsEntry("request_read_errors", "1").containsEntry("domain_3_requests", "1")
                    .containsEntry("connections_ring", "2").containsEntry("live_updates", "0");

            Path file = Files.createTempFile("jxs-stats", ".txt");
            try {
                assertThat(xc(host.socketPath(), "stats", file.toString()).out()).isEqualTo("OK\n");
                assertThat(mntr(Files.readString(file))).containsKey("request_write_count");
            } finally {
                Files.deleteIfExists(file);
            }

            try (XsTestClient watcher = XsTestClient.connect(host.socketPath())) {
                watcher.watch("/tool", "tok");
                Result conns = xc(host.socketPath(), "connections");
                assertThat(conns.exitCode()).as(conns.describe()).isZero();
                String[] lines = conns.out().split("\n");
                assertThat(lines[0]).startsWith("conn ").contains("oldest_ms").contains("requests");
                assertThat(conns.out()).containsPattern("\nD3 +3 ring ").containsPattern("\nD0 +0 ring ")
                        .containsPattern("\nA\\d+ +0 socket +1 ");
            }

            Result xenbus = xc(host.socketPath(), "xenbus", "3");
            assertThat(xenbus.exitCode()).as(xenbus.describe()).isZero();
            Matcher x = Pattern.compile("xenbus: XenBus state: partial_in: (\\d+) needed, partial_out: (\\d+) bytes, "
                    + "pkt_out: (\\d+) packets, BoundedQueue capacity: (\\d+), used: \\{\twatch_event: (\\d+)\t"
                    + "command_reply: (\\d+)\\}; overflow queue length: 0, can_input: (true|false), has_more_input: "
                    + "(true|false), has_old_output: (true|false), has_new_output: (true|false), has_more_work: "
                    + "(true|false)\\. pending: Watches with pending events: (\\d+), pending events total: (\\d+); "
                    + "jxenstored: .*\n").matcher(xenbus.out());
            assertThat(x.matches()).as(xenbus.out()).isTrue();
            assertThat(x.group(1)).as("a whole header is awaited").isEqualTo("16");
            assertThat(x.group(7)).isEqualTo("true");

            Result none = xc(host.socketPath(), "xenbus", "9");
            assertThat(none.exitCode()).isEqualTo(3);
            assertThat(none.err()).contains("Error 2 when trying to execute command."); // ENOENT

            assertThat(xc(host.socketPath(), "help").out()).contains("\nstats           [<file>]\n")
                    .contains("\nconnections     [<file>]\n").contains("\nxenbus          <domid>\n");
        }
    }

    @Test
    void thePrometheusFileOfARunningDaemon() throws Exception {
        ExternalTools.requireXenstoreUtils();
        Path dir = Files.createTempDirectory("jxs-prom");
        Path file = dir.resolve("jxenstored.prom");
        try (TestDaemon daemon = TestDaemon.start(c -> {
            c.statsFile = file;
            c.statsFileIntervalSeconds = 1;
        })) {
            for (int i = 0; i < 3; i++) {
                assertThat(xenstore(daemon.socketPath(), "/usr/bin/xenstore-write", "/p/" + i, "v").exitCode())
                        .isZero();
            }
            long deadline = System.nanoTime() + 15_000_000_000L;
            String text = "";
            while (System.nanoTime() < deadline && !text.contains("jxenstored_requests_total{type=\"write\"} 3\n")) {
                Thread.sleep(200);
                try {
                    text = Files.readString(file);
                } catch (NoSuchFileException e) {
                    text = "";
                }
            }
            assertThat(text).contains("# TYPE jxenstored_requests_total counter\n")
                    .contains("jxenstored_requests_total{type=\"write\"} 3\n")
                    .contains("jxenstored_request_latency_seconds_count{type=\"write\"} 3\n")
                    .endsWith("jxenstored_restarts_total 0\n");
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
