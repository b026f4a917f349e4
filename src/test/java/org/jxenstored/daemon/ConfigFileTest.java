package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxenstored.server.QuotaKind;

/** The configuration file: oxenstored.conf's keys, our own, and errors that name file, line and key. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private DaemonConfig parse(String... lines) throws ConfigException {
        DaemonConfig c = new DaemonConfig();
        ConfigFile.apply("test.conf", List.of(lines), c, false);
        return c;
    }

    @Test
    void theShippedConfigurationIsValidStrictlyAndKeepsTheDefaults() throws Exception {
        DaemonConfig c = new DaemonConfig();
        List<String> warnings = ConfigFile.apply(Path.of("conf/jxenstored.conf"), c, true);
        assertThat(warnings).isEmpty();
        DaemonConfig d = new DaemonConfig();
        assertThat(c.accessLog.enabled).isFalse();
        assertThat(c.limits.get(QuotaKind.WATCHES)).isEqualTo(d.limits.get(QuotaKind.WATCHES));
        assertThat(c.limits.get(QuotaKind.TRANSACTIONS)).isEqualTo(d.limits.get(QuotaKind.TRANSACTIONS));
    }

    @Test
    void everyKeyTheShippedFileMentionsIsKnown() throws Exception {
        // commented-out examples too: "# key = value" lines must name real keys
        for (String line : Files.readAllLines(Path.of("conf/jxenstored.conf"))) {
            String t = line.replaceFirst("^#\\s*", "").strip();
            if (t.matches("[a-z-]+ = .*")) {
                String key = t.substring(0, t.indexOf(' '));
                assertThat(ConfigFile.keys()).as("key in conf/jxenstored.conf: " + line).contains(key);
            }
        }
    }

    @Test
    void debiansOxenstoredConfIsAccepted() throws Exception {
        Path ox = Path.of("/etc/xen/oxenstored.conf");
        Assumptions.assumeTrue(Files.isReadable(ox), "no /etc/xen/oxenstored.conf (xen-utils-4.17)");
        DaemonConfig c = new DaemonConfig();
        assertThat(ConfigFile.apply(ox, c, true)).isEmpty();
        assertThat(c.pidFile).isEqualTo(Path.of("/var/run/xen/xenstored.pid"));
        assertThat(c.limits.get(QuotaKind.NODES)).isEqualTo(1000);
        assertThat(c.limits.get(QuotaKind.WATCHES)).isEqualTo(100);
        assertThat(c.limits.get(QuotaKind.TRANSACTIONS)).isEqualTo(10);
        assertThat(c.limits.get(QuotaKind.PATH_MAX)).isEqualTo(1024);
    }

    @Test
    void oxenstoredKeysMapOntoTheLimitsAndLogs() throws Exception {
        DaemonConfig c = parse(
                "# a comment",
                "",
                "pid-file = /run/x.pid",
                "quota-maxentity = 11",
                "quota-maxsize = 12",
                "quota-maxwatch = 13   # trailing comment",
                "quota-transaction = 14",
                "quota-maxrequests = 15",
                "quota-path-max = 16",
                "quota-maxoutstanding = 17",
                "quota-maxwatchevents = 18",
                "access-log-file = /var/tmp/a.log",
                "access-log-nb-files = 3",
                "access-log-nb-lines = 100",
                "access-log-nb-chars = 80",
                "access-log-read-ops = false",
                "access-log-special-ops = false",
                "access-log-transactions-ops = false",
                "xenstored-log-file = /var/tmp/d.log",
                "xenstored-log-level = warn",
                "xenstored-log-nb-files = 4",
                "perms-activate = true",
                "merge-activate = true",
                "conflict-burst-limit = 5.0");
        assertThat(c.pidFile).isEqualTo(Path.of("/run/x.pid"));
        assertThat(c.limits.get(QuotaKind.NODES)).isEqualTo(11);
        assertThat(c.limits.get(QuotaKind.NODE_SIZE)).isEqualTo(12);
        assertThat(c.limits.get(QuotaKind.WATCHES)).isEqualTo(13);
        assertThat(c.limits.get(QuotaKind.TRANSACTIONS)).isEqualTo(14);
        assertThat(c.limits.get(QuotaKind.TRANSACTION_NODES)).isEqualTo(15);
        assertThat(c.limits.get(QuotaKind.PATH_MAX)).isEqualTo(16);
        assertThat(c.limits.get(QuotaKind.OUTSTANDING)).isEqualTo(17);
        assertThat(c.limits.pendingEventsPerConnection).isEqualTo(18);
        assertThat(c.accessLog.file).isEqualTo(Path.of("/var/tmp/a.log"));
        assertThat(c.accessLog.files).isEqualTo(3);
        assertThat(c.accessLog.maxLines).isEqualTo(100);
        assertThat(c.accessLog.maxChars).isEqualTo(80);
        assertThat(c.accessLog.readOps).isFalse();
        assertThat(c.accessLog.specialOps).isFalse();
        assertThat(c.accessLog.transactionOps).isFalse();
        assertThat(c.logFile).isEqualTo(Path.of("/var/tmp/d.log"));
        assertThat(c.logLevel).isEqualTo("WARN");
        assertThat(c.logFiles).isEqualTo(4);
    }

    @Test
    void ownKeys() throws Exception {
        DaemonConfig c = parse("access-log-activate = yes", "access-log-max-size = 512k", "quota-memory = 99",
                "quota-memory-soft = 98", "quota-permissions = 7", "quota-privileged = true",
                "watch-event-timeout = 3", "keep-orphans = on", "xenstored-log-max-size = 2M");
        assertThat(c.accessLog.enabled).isTrue();
        assertThat(c.accessLog.maxSize).isEqualTo(512 * 1024);
        assertThat(c.limits.get(QuotaKind.MEMORY)).isEqualTo(99);
        assertThat(c.limits.get(QuotaKind.SOFT_MEMORY)).isEqualTo(98);
        assertThat(c.limits.get(QuotaKind.NODE_PERMISSIONS)).isEqualTo(7);
        assertThat(c.limits.privilegedExempt).isFalse();
        assertThat(c.limits.watchEventTimeoutMillis).isEqualTo(3000);
        assertThat(c.keepOrphans).isTrue();
        assertThat(c.logMaxSize).isEqualTo(2L << 20);
    }

    @Test
    void quotaActivateFalseMakesEveryQuotaUnlimited() throws Exception {
        DaemonConfig c = parse("quota-maxwatch = 5", "quota-activate = false");
        assertThat(c.limits.get(QuotaKind.WATCHES)).isZero();
        assertThat(c.limits.get(QuotaKind.TRANSACTIONS)).isZero();
        assertThat(c.limits.get(QuotaKind.NODES)).isZero();
    }

    @Test
    void accessLogNbFilesZeroSwitchesTheAccessLogOffAsInOxenstored() throws Exception {
        assertThat(parse("access-log-activate = true", "access-log-nb-files = 0").accessLog.enabled).isFalse();
    }

    @Test
    void invalidValuesNameFileLineAndKey() {
        assertThatThrownBy(() -> parse("# header", "quota-maxwatch = 10", "quota-transaction = many"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.conf:3: quota-transaction: invalid value 'many'");
        assertThatThrownBy(() -> parse("perms-activate = false"))
                .hasMessageContaining("test.conf:1: perms-activate:").hasMessageContaining("only true");
        assertThatThrownBy(() -> parse("quota-maxwatch = -1")).hasMessageContaining("test.conf:1: quota-maxwatch");
        assertThatThrownBy(() -> parse("access-log-nb-files = 21")).hasMessageContaining("access-log-nb-files");
        assertThatThrownBy(() -> parse("access-log-max-size = 10X")).hasMessageContaining("access-log-max-size");
        assertThatThrownBy(() -> parse("xenstored-log-level = chatty")).hasMessageContaining("xenstored-log-level");
        assertThatThrownBy(() -> parse("access-log-file = syslog:daemon")).hasMessageContaining("syslog");
        assertThatThrownBy(() -> parse("persistent = true")).hasMessageContaining("persistent");
        assertThatThrownBy(() -> parse("just words")).hasMessageStartingWith("test.conf:1: expected 'key = value'");
    }

    @Test
    void unknownKeysWarnButStrictModeRejectsThem() throws Exception {
        DaemonConfig c = new DaemonConfig();
        List<String> w = ConfigFile.apply("t.conf", List.of("", "frobnicate = 1"), c, false);
        assertThat(w).containsExactly("t.conf:2: unknown key 'frobnicate' (ignored)");
        assertThatThrownBy(() -> ConfigFile.apply("t.conf", List.of("frobnicate = 1"), new DaemonConfig(), true))
                .hasMessage("t.conf:1: unknown key 'frobnicate'");
    }

    @Test
    void anUnreadableFileIsAnError() {
        assertThatThrownBy(() -> ConfigFile.apply(dir.resolve("missing.conf"), new DaemonConfig(), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.conf");
    }
}
