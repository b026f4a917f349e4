package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxenstored.server.QuotaKind;

/** The command line: C xenstored's and oxenstored's options, overriding the file; errors exit 2 with a message. */
class MainTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, Map.of("XENSTORED_PATH", dir.resolve("socket").toString()), new PrintWriter(err, true));
    }

    private DaemonConfig configure(Map<String, String> env, String... args) throws Exception {
        Main m = new Main(env, new PrintWriter(err, true));
        m.parse(args);
        return m.configure(new ArrayList<>());
    }

    @Test
    void simulateDirServesASimulatorSharedWithAnotherProcessAndIsHiddenFromHelp() throws Exception {
        DaemonConfig c = configure(Map.of(), "--simulate-dir", dir.resolve("sim").toString());
        assertThat(c.platform).isEqualTo(DaemonConfig.PlatformMode.SIMULATE_SHARED);
        assertThat(c.simulateDir).isEqualTo(dir.resolve("sim"));
        assertThat(new Main(Map.of(), new PrintWriter(err)).usage())
                .contains("--simulate").doesNotContain("--simulate-dir");
    }

    @Test
    void unknownOptionsAreRejectedClearly() {
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("jxenstored: Unknown option: '--bogus'").contains("--help");
    }

    @Test
    void positionalArgumentsAndBadNumbersAreRejected() {
        assertThat(run("extra")).isEqualTo(2);
        assertThat(run("-W", "lots")).isEqualTo(2);
        assertThat(err.toString()).contains("lots");
    }

    @Test
    void badQuotaNamesAndValuesExit2() {
        assertThat(run("-Q", "bogus=1", "--config-test")).isEqualTo(2);
        assertThat(err.toString()).contains("-Q bogus: unknown quota");
        assertThat(run("-q", "nodes=1", "--config-test")).isEqualTo(2);
        assertThat(run("-Q", "memory=-5", "--config-test")).isEqualTo(2);
        assertThat(run("-w", "watch-event=x", "--config-test")).isEqualTo(2);
        assertThat(run("-w", "other=1", "--config-test")).isEqualTo(2);
        assertThat(run("-I", "off", "--config-test")).isEqualTo(2);
    }

    @Test
    void anInvalidConfigurationFileExits2NamingKeyAndLine() throws Exception {
        Path conf = dir.resolve("j.conf");
        Files.writeString(conf, "# x\nquota-maxwatch = 12\nquota-transaction = ten\n");
        assertThat(run("--config-file", conf.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(conf + ":3: quota-transaction: invalid value 'ten'");
    }

    @Test
    void configTestAcceptsAGoodFileAndRejectsUnknownKeys() throws Exception {
        Path good = dir.resolve("good.conf");
        Files.writeString(good, "quota-maxwatch = 12\n");
        assertThat(run("--config-file", good.toString(), "--config-test")).isZero();
        Path typo = dir.resolve("typo.conf");
        Files.writeString(typo, "quota-maxwach = 12\n");
        assertThat(run("--config-file", typo.toString(), "--config-test")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown key 'quota-maxwach'");
    }

    @Test
    void helpAndVersionExit0() {
        assertThat(run("--help")).isZero();
        assertThat(run("-H")).isZero();
        assertThat(run("--version")).isZero();
    }

    @Test
    void aLiveUpdateSuccessorTakesCsArgvAndReadsTheStateFromTheRunDirectory() throws Exception {
        DaemonConfig c = configure(Map.of("XENSTORED_RUNDIR", "/run/xs"), "-N", "-U");
        assertThat(c.liveUpdate).isTrue();
        assertThat(c.stateDumpFile).isEqualTo(Path.of("/run/xs/state_dump"));
        assertThat(configure(Map.of(), "--live-update").stateDumpFile)
                .isEqualTo(Path.of("/run/xenstored/state_dump"));
        assertThat(configure(Map.of()).liveUpdate).isFalse();
    }

    @Test
    void theSuccessorGetsTheLaunchersArgumentsNotTheDetachingOnes() {
        assertThat(LauncherArgs.original(new String[] {"--no-fork", "--daemonized", "--ready-file", "/tmp/r", "-T",
            "/t", "--ready-file=/tmp/q", "-N"})).containsExactly("--no-fork", "-T", "/t", "-N");
    }

    @Test
    void aSuccessorThatCannotRestoreTheStateDoesNotServe() {
        int rc = Main.run(new String[] {"-N", "-U", "--socket-only"}, Map.of("XENSTORED_PATH",
                dir.resolve("socket").toString(), "XENSTORED_RUNDIR", dir.toString()), new PrintWriter(err, true));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).startsWith("jxenstored: live update: cannot take over the state in "
                + dir.resolve("state_dump") + " (not serving an empty store instead): ");
        assertThat(dir.resolve("socket")).doesNotExist();
    }

    @Test
    void cXenstoredOptionsSetTheLimits() throws Exception {
        DaemonConfig c = configure(Map.of(), "--pid-file", "/run/x.pid", "-N", "-E", "11", "-S", "12", "-W", "13",
                "-t", "14", "-A", "15", "-M", "16", "-Q", "memory=17", "-Q", "outstanding=18",
                "--quota=transaction-nodes=19", "-q", "memory=20", "-w", "watch-event=21", "-K", "-V", "-T",
                "/var/tmp/trace.log", "-R", "-D", "-I", "--config-file", "/dev/null");
        assertThat(c.pidFile).isEqualTo(Path.of("/run/x.pid"));
        assertThat(c.limits.get(QuotaKind.NODES)).isEqualTo(11);
        assertThat(c.limits.get(QuotaKind.NODE_SIZE)).isEqualTo(12);
        assertThat(c.limits.get(QuotaKind.WATCHES)).isEqualTo(13);
        assertThat(c.limits.get(QuotaKind.TRANSACTIONS)).isEqualTo(14);
        assertThat(c.limits.get(QuotaKind.NODE_PERMISSIONS)).isEqualTo(15);
        assertThat(c.limits.get(QuotaKind.PATH_MAX)).isEqualTo(16);
        assertThat(c.limits.get(QuotaKind.MEMORY)).isEqualTo(17);
        assertThat(c.limits.get(QuotaKind.OUTSTANDING)).isEqualTo(18);
        assertThat(c.limits.get(QuotaKind.TRANSACTION_NODES)).isEqualTo(19);
        assertThat(c.limits.get(QuotaKind.SOFT_MEMORY)).isEqualTo(20);
        assertThat(c.limits.watchEventTimeoutMillis).isEqualTo(21_000);
        assertThat(c.keepOrphans).isTrue();
        assertThat(c.logLevel).isEqualTo("DEBUG");
        assertThat(c.accessLog.enabled).isTrue();
        assertThat(c.accessLog.file).isEqualTo(Path.of("/var/tmp/trace.log"));
    }

    @Test
    void theCommandLineOverridesTheFile() throws Exception {
        Path conf = dir.resolve("j.conf");
        Files.writeString(conf, "quota-maxwatch = 12\nquota-transaction = 3\npid-file = /run/file.pid\n");
        DaemonConfig c = configure(Map.of("JXENSTORED_CONF", conf.toString()), "-W", "50", "--pid-file",
                "/run/cli.pid");
        assertThat(c.limits.get(QuotaKind.WATCHES)).isEqualTo(50);
        assertThat(c.limits.get(QuotaKind.TRANSACTIONS)).isEqualTo(3);
        assertThat(c.pidFile).isEqualTo(Path.of("/run/cli.pid"));
    }

    @Test
    void oxenstoredsNoAccessLogAndTheStatisticsFile() throws Exception {
        Path conf = dir.resolve("ox.conf");
        Files.writeString(conf, "access-log-file = /var/log/xen/xenstored-access.log\n");
        assertThat(configure(Map.of(), "--config-file", conf.toString()).accessLog.enabled).isTrue();
        assertThat(configure(Map.of(), "--config-file", conf.toString(), "--no-access-log").accessLog.enabled)
                .isFalse();
        assertThat(configure(Map.of(), "--no-access-log", "-T", "/tmp/t.log").accessLog.enabled)
                .as("-T still switches it on").isTrue();
        assertThat(configure(Map.of(), "--stats-prometheus-file", "/var/lib/prom/jx.prom").statsFile)
                .isEqualTo(Path.of("/var/lib/prom/jx.prom"));
        assertThat(configure(Map.of()).statsFile).isNull();
    }

    @Test
    void theSocketPathComesFromTheEnvironmentAsForCXenstored() throws Exception {
        assertThat(configure(Map.of("XENSTORED_PATH", "/tmp/s")).socketPath).isEqualTo(Path.of("/tmp/s"));
        assertThat(configure(Map.of("XENSTORED_RUNDIR", "/tmp/r")).socketPath).isEqualTo(Path.of("/tmp/r/socket"));
    }
}
