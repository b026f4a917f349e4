package org.jxenstored.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient;

/** The operator commands of XS_CONTROL through the daemon's socket, with C xenstored's (or oxenstored's) answers. */
class OperatorCommandsTest {
    private TestDaemon daemon;
    private XsTestClient c;

    @BeforeEach
    void start() {
        daemon = TestDaemon.start(cfg -> cfg.accessLog.file = Path.of("/proc/version/never"));
        c = XsTestClient.connect(daemon.socketPath());
    }

    @AfterEach
    void stop() {
        c.close();
        daemon.close();
    }

    private String ok(String... cmd) {
        XsTestClient.Msg r = c.control(cmd);
        assertThat(r.isError()).as("reply to %s: %s", List.of(cmd), r).isFalse();
        return r.value();
    }

    private String error(String... cmd) {
        XsTestClient.Msg r = c.control(cmd);
        assertThat(r.isError()).as("reply to %s: %s", List.of(cmd), r).isTrue();
        return r.value();
    }

    @Test
    void helpListsCsCommandsInCsOrderThenOxenstoredsThenHelp() {
        List<String> names = new ArrayList<>();
        for (String line : ok("help").split("\n")) {
            if (!line.startsWith(" ")) {
                names.add(line.substring(0, line.indexOf(' ')));
            }
        }
        assertThat(names).containsExactly("check", "log", "live-update", "logfile", "memreport", "print", "quota",
                "quota-soft", "watches", "compact", "mfn", "stats", "connections", "xenbus", "help");
    }

    @Test
    void checkIsOkOnASoundStoreAndTakesNoArguments() {
        c.write("/a/b", "x");
        c.watch("/a", "tok");
        assertThat(ok("check")).isEqualTo("OK");
        assertThat(error("check", "x")).isEqualTo("EINVAL");
    }

    @Test
    void logSwitchesTheAccessLog() throws Exception {
        Path file = daemon.dir().resolve("access.log");
        assertThat(ok("logfile", file.toString())).isEqualTo("OK");
        assertThat(daemon.daemon().accessLog().enabled()).isTrue();
        c.write("/x", "1");
        assertThat(ok("log", "off")).isEqualTo("OK");
        c.write("/y", "2");
        assertThat(ok("log", "on")).isEqualTo("OK");
        c.write("/z", "3");
        String log = Files.readString(file);
        assertThat(log).contains("write             /x 1 -> OK").doesNotContain("/y 2").contains("/z 3 -> OK");
        assertThat(error("log", "maybe")).isEqualTo("EINVAL");
        assertThat(error("log", "on", "off")).isEqualTo("EINVAL");
        assertThat(error("logfile")).isEqualTo("EINVAL");
    }

    /** C 4.22: {@code log} alone lists the switches ({@code %-8s: on|off}); {@code +}/{@code -} set one. */
    @Test
    void logListsAndSetsTheAccessLogsSwitches() throws Exception {
        assertThat(ok("log")).isEqualTo("Log switch settings:\nread    : on\ntrans   : on\nspecial : on\n");
        assertThat(ok("log", "-read")).isEqualTo("OK");
        assertThat(ok("log", "-special")).isEqualTo("OK");
        assertThat(ok("log", "+special")).isEqualTo("OK");
        assertThat(ok("log")).isEqualTo("Log switch settings:\nread    : off\ntrans   : on\nspecial : on\n");
        assertThat(error("log", "+obj")).as("C's trace switches are not the access log's").isEqualTo("EINVAL");
        assertThat(error("log", "read")).isEqualTo("EINVAL");
        assertThat(error("log", "+")).isEqualTo("EINVAL");
        Path file = daemon.dir().resolve("switches.log");
        assertThat(ok("logfile", file.toString())).isEqualTo("OK");
        c.write("/sw", "1");
        c.read("/sw");
        c.read("/sw-missing");
        assertThat(Files.readString(file)).contains("write             /sw 1 -> OK")
                .doesNotContain("read              /sw");
    }

    @Test
    void logOnWithAnUnwritableFileSaysWhyAndStaysOff() {
        assertThat(ok("log", "on")).contains("cannot open /proc/version/never");
        assertThat(daemon.daemon().accessLog().enabled()).isFalse();
    }

    @Test
    void memreportGoesToTheFileOrTheLog() throws Exception {
        Path file = daemon.dir().resolve("mem.txt");
        assertThat(ok("memreport", file.toString())).isEqualTo("OK");
        assertThat(Files.readString(file)).contains("heap: used").contains("store: ").contains("connections: 1")
                .contains("0 merged, 0 dropped over the limit, 0 expired");
        assertThat(ok("memreport")).isEqualTo("OK");
        assertThat(error("memreport", "a", "b")).isEqualTo("EINVAL");
    }

    @Test
    void printIsOk() {
        assertThat(ok("print", "marker")).isEqualTo("OK");
    }

    @Test
    void quotaListsSetsAndReportsPerDomain() {
        String table = ok("quota");
        assertThat(table).isEqualTo("Quota settings:\n"
                + "nodes            :     1000 Nodes per domain\n"
                + "watches          :      128 Watches per domain\n"
                + "outstanding      :       20 Outstanding requests per domain\n"
                + "memory           :  2621440 Total Xenstore memory per domain\n"
                + "transactions     :       10 Active transactions per domain\n"
                + "transaction-nodes:     1024 Max. number of accessed nodes per transaction\n"
                + "node-permissions :        5 Max. number of permissions per node\n"
                + "path-max         :     2048 Max. length of a node path\n"
                + "node-size        :     2048 Max. size of a node\n");
        assertThat(ok("quota", "set", "watches", "5")).isEqualTo("OK");
        assertThat(daemon.daemon().server().limits().get(QuotaKind.WATCHES)).isEqualTo(5);
        assertThat(ok("quota")).contains("watches          :        5 ");
        assertThat(error("quota", "set", "bogus", "1")).isEqualTo("EINVAL");
        assertThat(error("quota", "set", "nodes", "-1")).isEqualTo("EINVAL");
        assertThat(error("quota", "set", "nodes")).isEqualTo("EINVAL");
        assertThat(error("quota", "set", "nodes", "0")).as("C 4.22: at least 1 (SET_QUOTA takes 0)")
                .isEqualTo("EINVAL");
        assertThat(error("quota", "set", "nodes", "x")).as("atoi: 0").isEqualTo("EINVAL");
        assertThat(ok("quota", "set", "permissions", "7")).as("the spec's name").isEqualTo("OK");
        assertThat(ok("quota")).contains("node-permissions :        7 ");

        c.write("/local/domain/0/a", "v");
        c.watch("/local", "t");
        String dom0 = ok("quota", "0");
        assertThat(dom0).startsWith("Domain 0:\n")
                .containsPattern("(?m)^nodes            : +[0-9]+ \\(max +[0-9]+\\)$")
                .contains("watches          :        1 (max        1)\n")
                .contains("transactions     :        0 (max        0)\n")
                .containsPattern("(?m)^memory           : +[0-9]+ \\(max +[0-9]+\\)$")
                .contains("node-size        :        0 (max        0)\n");
        assertThat(dom0.split("\n")).hasSize(10);
        assertThat(error("quota", "5")).as("a domain the daemon does not know").isEqualTo("ENOENT");
        assertThat(error("quota", "0", "1")).isEqualTo("EINVAL");
        assertThat(ok("quota", "max")).startsWith("Max. seen accounting values:\n")
                .contains("watches          :        0\n").as("Dom0 is not counted");
        assertThat(error("quota", "max", "-x")).isEqualTo("EINVAL");
        assertThat(ok("quota", "max", "-r")).startsWith("Max. seen accounting values:\n");
    }

    @Test
    void quotaSoftListsAndSets() {
        assertThat(ok("quota-soft")).isEqualTo("Quota settings:\n"
                + "memory           :  2097152 Total Xenstore memory per domain\n");
        assertThat(ok("quota-soft", "set", "memory", "1000")).isEqualTo("OK");
        assertThat(daemon.daemon().server().limits().get(QuotaKind.SOFT_MEMORY)).isEqualTo(1000);
        assertThat(error("quota-soft", "set", "nodes", "1")).isEqualTo("EINVAL");
        assertThat(error("quota-soft", "0")).isEqualTo("EINVAL");
        assertThat(error("quota-soft", "max")).isEqualTo("EINVAL");
    }

    @Test
    void liveUpdateAnswersAsC() {
        assertThat(ok("live-update", "-f", "/nonexistent/xenstored")).isEqualTo("File not accessible.");
        assertThat(ok("live-update", "-s", "-t", "60")).isEqualTo("Not in live-update session.");
        assertThat(ok("live-update", "-a")).isEqualTo("No live-update session active.");
    }

    @Test
    void watchesListsEveryWatchPerConnection() {
        c.watch("/a", "one");
        c.watch("@introduceDomain", "two");
        try (XsTestClient other = XsTestClient.connect(daemon.socketPath())) {
            other.watch("/b", "three");
            String w = ok("watches");
            assertThat(w.split("\n")).hasSize(3);
            assertThat(w).containsPattern("(?m)^watch A[0-9]+: /a one$")
                    .containsPattern("(?m)^watch A[0-9]+: @introduceDomain two$")
                    .containsPattern("(?m)^watch A[0-9]+: /b three$");
        }
    }

    @Test
    void compactCollectsGarbage() {
        assertThat(ok("compact")).isEqualTo("Compacted");
    }

    @Test
    void mfnOfDom0AndOfAnUnknownDomain() {
        assertThat(ok("mfn", "0")).isEqualTo("0");
        assertThat(error("mfn", "7")).isEqualTo("ENOENT");
        assertThat(error("mfn")).isEqualTo("EINVAL");
        assertThat(c.request(8, XsTestClient.nul("7", "12345", "3")).value()).as("INTRODUCE").isEqualTo("OK");
        assertThat(ok("mfn", "7")).as("the frame INTRODUCE gave").isEqualTo("12345");
    }
}
