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

    static final Path DEBIAN_OXENSTORED_CONF = Path.of("src/test/resources/oxenstored/debian12-oxenstored.conf");

    /** The active and the commented-out {@code key = value} lines of a configuration file, in order. */
    private static List<String> settings(Path file) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (t.matches("#? ?[a-z-]+ = .*")) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void theExcerptOfDebiansOxenstoredConfHasTheInstalledFilesSettings() throws Exception {
        Path ox = Path.of("/etc/xen/oxenstored.conf");
        Assumptions.assumeTrue(Files.isReadable(ox), "no /etc/xen/oxenstored.conf (xen-utils-common)");
        assertThat(settings(DEBIAN_OXENSTORED_CONF)).isEqualTo(settings(ox));
    }

    @Test
    void debiansOxenstoredConfKeepsTheAccessLogOffAndNamesTheKeysWithoutEffect() throws Exception {
        DaemonConfig c = new DaemonConfig();
        assertThat(ConfigFile.apply(DEBIAN_OXENSTORED_CONF, c, true)).isEmpty();
        assertThat(c.accessLog.enabled).as("access-log-file is commented out there").isFalse();
        assertThat(c.keysWithoutEffect).containsExactly("merge-activate", "conflict-burst-limit",
                "conflict-max-history-seconds", "conflict-rate-limit-is-aggregate");
        assertThat(c.limits.get(QuotaKind.WATCHES)).isEqualTo(100);
        assertThat(c.limits.get(QuotaKind.OUTSTANDING)).isEqualTo(1024);
        assertThat(c.limits.get(QuotaKind.PATH_MAX)).isEqualTo(1024);
        assertThat(c.limits.get(QuotaKind.TRANSACTION_NODES)).isEqualTo(1024);
        assertThat(c.limits.pendingEventsPerConnection).isEqualTo(1024);
        assertThat(c.limits.get(QuotaKind.MEMORY)).as("oxenstored has no memory quota; not in its file")
                .isEqualTo(QuotaKind.MEMORY.defaultValue);
    }

    /** Debian's file with its access-log-file line uncommented, and what else is added. */
    private DaemonConfig debianWith(String... more) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(DEBIAN_OXENSTORED_CONF)) {
            lines.add(line.replace("# access-log-file = ", "access-log-file = "));
        }
        lines.addAll(List.of(more));
        DaemonConfig c = new DaemonConfig();
        ConfigFile.apply("oxenstored.conf", lines, c, false);
        return c;
    }

    @Test
    void accessLogFileSwitchesTheAccessLogOnAsInOxenstored() throws Exception {
        DaemonConfig c = debianWith();
        assertThat(c.accessLog.enabled).isTrue();
        assertThat(c.accessLog.file).isEqualTo(Path.of("/var/log/xen/xenstored-access.log"));
        assertThat(parse("access-log-file = /tmp/a.log").accessLog.enabled).isTrue();
        assertThat(debianWith("access-log-activate = false").accessLog.enabled)
                .as("jxenstored's own key, when given, decides").isFalse();
        assertThat(parse("access-log-activate = false", "access-log-file = /tmp/a.log").accessLog.enabled)
                .as("in whichever order").isFalse();
        assertThat(debianWith("access-log-nb-files = 0").accessLog.enabled).as("no files: no access log").isFalse();
        assertThat(parse("access-log-activate = true").accessLog.enabled).isTrue();
        assertThat(parse("pid-file = /run/x.pid").accessLog.enabled).as("not mentioned: off").isFalse();
    }

    @Test
    void keysWithoutEffectAreNamedOnceInTheirOrder() throws Exception {
        DaemonConfig c = parse("gc-max-overhead = 120", "merge-activate = true", "gc-max-overhead = 100",
                "quota-maxwatch = 5");
        assertThat(c.keysWithoutEffect).containsExactly("gc-max-overhead", "merge-activate");
        assertThat(parse("quota-maxwatch = 5").keysWithoutEffect).isEmpty();
    }

    @Test
    void statisticsFileAndWriteRate() throws Exception {
        DaemonConfig c = parse("stats-prometheus-file = /var/lib/node_exporter/jxenstored.prom",
                "stats-prometheus-interval = 15", "write-rate-limit = 0", "write-rate-burst = 50");
        assertThat(c.statsFile).isEqualTo(Path.of("/var/lib/node_exporter/jxenstored.prom"));
        assertThat(c.statsFileIntervalSeconds).isEqualTo(15);
        assertThat(c.limits.writeRatePerSecond).isZero();
        assertThat(c.limits.writeBurst).isEqualTo(50);
        DaemonConfig d = new DaemonConfig();
        assertThat(d.statsFile).as("off by default").isNull();
        assertThatThrownBy(() -> parse("stats-prometheus-interval = 0")).hasMessageContaining("stats-prometheus");
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
