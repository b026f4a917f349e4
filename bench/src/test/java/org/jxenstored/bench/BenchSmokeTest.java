package org.jxenstored.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jxenstored.daemon.Daemon;
import org.jxenstored.daemon.DaemonConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The benchmark tool against a real jxenstored, started in this JVM from the daemon artifact (the root project,
 * a test dependency) on a private socket: every scenario group, briefly, with small sizes.
 */
@Timeout(120)
class BenchSmokeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static Path socket;
    private static Daemon daemon;

    @BeforeAll
    static void start() throws Exception {
        // Unix socket paths are limited to 108 bytes: keep the directory short.
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxsb");
        DaemonConfig config = new DaemonConfig();
        config.socketPath = dir.resolve("socket");
        socket = config.socketPath;
        daemon = new Daemon(config);
        daemon.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (daemon != null) {
            daemon.stop();
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    private static int bench(String... args) {
        return new CommandLine(new BenchMain()).execute(args);
    }

    /** The case ids of a JSON report, in order. */
    private static List<String> caseIds(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.get("cases").forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }

    private static JsonNode caseOf(JsonNode report, String id) {
        for (JsonNode c : report.get("cases")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no case " + id);
    }

    @Test
    void runsEveryScenarioGroupAndWritesJson() throws Exception {
        Path json = dir.resolve("bench.json");
        Path md = dir.resolve("bench.md");
        int rc = bench("--target", "jx=" + socket + ",pid=" + ProcessHandle.current().pid(),
                "--quiet", "--reps", "1", "--warmup", "0.05", "--duration", "0.1",
                "--scenarios", "rss-10k,sync-mixed-c1,sync-read-c2,pipe,churn,tx,dir,tree,watches,fanout,idle",
                "--sync-clients", "1,2", "--pipe-depth", "8", "--tx-clients", "2", "--dir-sizes", "100,1500",
                "--tree", "5x20", "--watches", "500", "--watch-conns", "5", "--fanout", "20", "--fanout-per-conn", "5",
                "--idle", "10", "--rss-nodes", "200", "--json", json.toString(), "--markdown", md.toString());
        assertThat(rc).as(Files.readString(md)).isZero();
        JsonNode report = JSON.readTree(json.toFile());
        assertThat(caseIds(report)).contains("sync-mixed-c1", "sync-read-c2", "pipe-read-c1-d8", "pipe-write-c1-d8",
                "pipe-mixed-c8-d8", "churn", "tx-disjoint-k2", "tx-shared-k2", "dir-list-1500", "dir-create-100",
                "tree-build", "tree-walk", "write-0w", "write-500w", "fanout-20", "idle-10", "rss-10k");
        assertThat(report.get("failures").isEmpty()).as(report.get("failures").toString()).isTrue();
        JsonNode sync = caseOf(report, "sync-mixed-c1");
        assertThat(sync.get("unit").asText()).isEqualTo("ops/s");
        assertThat(sync.at("/results/jx/median").asDouble()).isPositive();
        assertThat(sync.at("/results/jx/latencyMicros/p99").isNumber()).isTrue();
        assertThat(report.get("targets").get(0).get("name").asText()).isEqualTo("jx");
        // The tool reports measurements; acceptance targets are not its business.
        assertThat(report.has("checks")).isFalse();
        String text = Files.readString(md);
        assertThat(text).contains("| sync-mixed-c1 | ops/s |", "### Latency").doesNotContain("Targets");
    }

    @Test
    void comparesTwoTargetsInterleaved() throws Exception {
        Path json = dir.resolve("two.json");
        int rc = bench("--target", "a=" + socket, "--target", "b=" + socket + ",basic",
                "--baseline", "a", "--quiet", "--reps", "2", "--warmup", "0.02", "--duration", "0.05",
                "--scenarios", "sync-write-c1,tx-shared-k2", "--sync-clients", "1", "--tx-clients", "2",
                "--prefix", "/bench2", "--json", json.toString());
        assertThat(rc).isZero();
        JsonNode report = JSON.readTree(json.toFile());
        assertThat(report.get("baseline").asText()).isEqualTo("a");
        // The basic target runs only READ/WRITE scenarios, and gets a ratio to the baseline.
        assertThat(caseOf(report, "sync-write-c1").at("/results/b/speedVsBaseline").isNumber()).isTrue();
        assertThat(caseOf(report, "sync-write-c1").at("/results/b/reps").size()).isEqualTo(2);
        JsonNode tx = caseOf(report, "tx-shared-k2").get("results");
        assertThat(tx.has("a")).isTrue();
        assertThat(tx.has("b")).isFalse();
    }

    @Test
    void listsScenarios() {
        assertThat(bench("--list")).isZero();
    }
}
