package org.jxenstored.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jxenstored.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The benchmark tool against an in-process daemon: every scenario group, briefly, with small sizes. */
@Timeout(120)
class BenchSmokeTest {
    private static TestDaemon daemon;

    @BeforeAll
    static void start() {
        daemon = TestDaemon.start();
    }

    @AfterAll
    static void stop() {
        daemon.close();
    }

    private static int bench(String... args) {
        return new CommandLine(new BenchMain()).execute(args);
    }

    @Test
    void runsEveryScenarioGroupAndWritesJson() throws Exception {
        Path json = daemon.dir().resolve("bench.json");
        Path md = daemon.dir().resolve("bench.md");
        int rc = bench("--target", "jx=" + daemon.socketPath() + ",pid=" + ProcessHandle.current().pid(),
                "--quiet", "--reps", "1", "--warmup", "0.05", "--duration", "0.1",
                "--scenarios", "rss-10k,sync-mixed-c1,sync-read-c2,pipe,churn,tx,dir,tree,watches,fanout,idle",
                "--sync-clients", "1,2", "--pipe-depth", "8", "--tx-clients", "2", "--dir-sizes", "100,1500",
                "--tree", "5x20", "--watches", "500", "--watch-conns", "5", "--fanout", "20", "--fanout-per-conn", "5",
                "--idle", "10", "--rss-nodes", "200", "--json", json.toString(), "--markdown", md.toString());
        String out = Files.readString(json);
        assertThat(rc).as(Files.readString(md)).isZero();
        assertThat(out).contains("\"id\":\"sync-mixed-c1\"", "\"id\":\"sync-read-c2\"", "\"id\":\"pipe-read-c1-d8\"",
                "\"id\":\"pipe-write-c1-d8\"", "\"id\":\"pipe-mixed-c8-d8\"", "\"id\":\"churn\"",
                "\"id\":\"tx-disjoint-k2\"", "\"id\":\"tx-shared-k2\"", "\"id\":\"dir-list-1500\"",
                "\"id\":\"dir-create-100\"", "\"id\":\"tree-build\"", "\"id\":\"tree-walk\"", "\"id\":\"write-0w\"",
                "\"id\":\"write-500w\"", "\"id\":\"fanout-20\"", "\"id\":\"idle-10\"", "\"id\":\"rss-10k\"",
                "\"failures\":{}");
        assertThat(Files.readString(md)).contains("| sync-mixed-c1 | ops/s |", "### Targets for jx");
    }

    @Test
    void comparesTwoTargetsInterleaved() throws Exception {
        Path json = daemon.dir().resolve("two.json");
        int rc = bench("--target", "a=" + daemon.socketPath(), "--target", "b=" + daemon.socketPath() + ",basic",
                "--baseline", "a", "--quiet", "--reps", "2", "--warmup", "0.02", "--duration", "0.05",
                "--scenarios", "sync-write-c1,tx-shared-k2", "--sync-clients", "1", "--tx-clients", "2",
                "--prefix", "/bench2", "--json", json.toString());
        assertThat(rc).isZero();
        String out = Files.readString(json);
        // The basic target runs only READ/WRITE scenarios, and gets a ratio to the baseline.
        assertThat(out).contains("\"speedVsBaseline\"").contains("\"id\":\"tx-shared-k2\"");
        assertThat(out.substring(out.indexOf("\"id\":\"tx-shared-k2\""))).doesNotContain("\"b\":{");
    }

    @Test
    void listsScenarios() {
        assertThat(bench("--list")).isZero();
    }
}
