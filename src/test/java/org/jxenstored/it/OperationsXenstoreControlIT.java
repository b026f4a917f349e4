package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxenstored.control.HandoverRequest;
import org.jxenstored.it.ExternalTools.Result;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient;

/**
 * Xen's own xenstore-control (the binary in /usr/lib/xen-4.17/bin: /usr/bin/xenstore-control is Debian's wrapper,
 * which refuses to run without a hypervisor) driving every operator command of jxenstored, with
 * XENSTORED_PATH pointing at the daemon's socket.
 */
class OperationsXenstoreControlIT {
    static final Path XENSTORE_CONTROL = Path.of("/usr/lib/xen-4.17/bin/xenstore-control");
    private TestDaemon daemon;

    @BeforeEach
    void start() {
        ExternalTools.requireExecutable(XENSTORE_CONTROL, "xen-utils-4.17");
        daemon = TestDaemon.start();
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private Result xc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(XENSTORE_CONTROL.toString());
        cmd.addAll(List.of(args));
        return ExternalTools.run(daemon.socketPath(), Duration.ofSeconds(20), cmd);
    }

    @Test
    void helpListsTheCommandsAsCXenstoredDoes() throws Exception {
        Result r = xc("help");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        // C 4.22's layout: "%-15s %s" (4.17: a tab)
        assertThat(r.out()).startsWith("check           \nlog             [on|off|+<switch>|-<switch>]\n"
                + "live-update     [-c <cmdline>] [-F] [-t <timeout>] [-v <version>] <file>\n"
                + "    Default timeout is 60 seconds, default version is 1.\n")
                .contains("\nlogfile         <file>\nmemreport       [<file>]\nprint           <string>\n"
                        + "quota           [set <name> <val>|<domid>|max [-r]]\n"
                        + "quota-soft      [set <name> <val>]\n")
                .endsWith("help            \n\n");
    }

    @Test
    void checkPrintLogLogfileMemreport() throws Exception {
        assertThat(xc("check").out()).isEqualTo("OK\n");
        assertThat(xc("print", "hello from xenstore-control").out()).isEqualTo("OK\n");
        Path access = daemon.dir().resolve("access.log");
        assertThat(xc("logfile", access.toString()).out()).isEqualTo("OK\n");
        assertThat(xc("log", "off").out()).isEqualTo("OK\n");
        assertThat(xc("log", "on").out()).isEqualTo("OK\n");
        assertThat(Files.readString(access)).contains("control           logfile " + access + " -> OK")
                .contains("control           log on -> OK").doesNotContain("log off");
        Path mem = daemon.dir().resolve("mem.txt");
        assertThat(xc("memreport", mem.toString()).out()).isEqualTo("OK\n");
        assertThat(Files.readString(mem)).contains("heap:");
        assertThat(xc("memreport").out()).isEqualTo("OK\n");
    }

    @Test
    void badArgumentsGetCsCommandNotSupportedAnswer() throws Exception {
        Result r = xc("log", "maybe");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).startsWith("Command not supported. Valid commands are:\ncheck           \n");
        assertThat(xc("bogus").exitCode()).isEqualTo(3);
    }

    @Test
    void logWithoutArgumentListsTheSwitches() throws Exception {
        Result r = xc("log");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.out()).isEqualTo("Log switch settings:\nread    : on\ntrans   : on\nspecial : on\n\n");
    }

    @Test
    void quotaAndQuotaSoft() throws Exception {
        assertThat(xc("quota").out()).startsWith("Quota settings:\nnodes            :     1000 Nodes per domain")
                .contains("\nwatches          :      128 ");
        assertThat(xc("quota", "set", "transactions", "3").out()).isEqualTo("OK\n");
        assertThat(daemon.daemon().server().limits().get(QuotaKind.TRANSACTIONS)).isEqualTo(3);
        assertThat(xc("quota", "0").out()).startsWith("Domain 0:\nnodes            :").contains(" (max ");
        assertThat(xc("quota", "max").out()).startsWith("Max. seen accounting values:\nnodes            :");
        assertThat(xc("quota", "set", "nodes", "0").exitCode()).as("C 4.22: EINVAL").isEqualTo(3);
        Result missing = xc("quota", "5");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("Error 2 when trying to execute command."); // ENOENT, as C answers
        assertThat(xc("quota-soft").out()).startsWith("Quota settings:\nmemory           :  2097152 ");
        assertThat(xc("quota-soft", "set", "memory", "3000000").out()).isEqualTo("OK\n");
    }

    @Test
    void liveUpdateOfAMissingBinaryIsRefusedAsByC() throws Exception {
        Result r = xc("live-update", "-t", "2", daemon.dir().resolve("missing").toString());
        assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
        assertThat(r.err()).as(r.describe()).contains("File not accessible.");
        assertThat(daemon.daemon().liveUpdate().pending()).isFalse();
    }

    @Test
    void liveUpdateSucceedsWhenTheHandoverAnswers() throws Exception {
        List<HandoverRequest> handedOver = new ArrayList<>();
        daemon.daemon().liveUpdate().setHandover(r -> {
            handedOver.add(r);
            return "OK"; // what the successor answers
        });
        Result r = xc("live-update", "-c", "-N --socket-only", "-t", "2", XENSTORE_CONTROL.toString());
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(handedOver).hasSize(1);
        assertThat(handedOver.get(0).argv()).containsExactly(XENSTORE_CONTROL.toString(), "-N", "--socket-only",
                "-U");
    }

    @Test
    void liveUpdateTimesOutOnAnOpenTransactionWithCsText() throws Exception {
        daemon.daemon().liveUpdate().setHandover(r -> "OK");
        try (XsTestClient c = XsTestClient.connect(daemon.socketPath())) {
            int tx = c.startTransaction();
            Result r = xc("live-update", "-t", "2", XENSTORE_CONTROL.toString());
            assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
            assertThat(r.err()).as(r.describe()).contains("Domains with long running transactions:\nDomain 0: 2 s");
            assertThat(daemon.daemon().liveUpdate().pending()).isFalse();
            assertThat(c.endTransaction(tx, true).isError()).isFalse();
        }
    }

    @Test
    void liveUpdateWithForceGoesAheadDespiteAnOpenTransaction() throws Exception {
        daemon.daemon().liveUpdate().setHandover(r -> "OK");
        try (XsTestClient c = XsTestClient.connect(daemon.socketPath())) {
            c.startTransaction();
            Result r = xc("live-update", "-F", "-t", "1", XENSTORE_CONTROL.toString());
            assertThat(r.exitCode()).as(r.describe()).isZero();
        }
    }

    @Test
    void oxenstoredDebugCommands() throws Exception {
        try (XsTestClient c = XsTestClient.connect(daemon.socketPath())) {
            c.watch("/tool", "mytoken");
            assertThat(xc("watches").out()).containsPattern("watch A\\d+: /tool mytoken\n");
        }
        assertThat(xc("compact").out()).isEqualTo("Compacted\n");
        assertThat(xc("mfn", "0").out()).isEqualTo("0\n");
        assertThat(xc("mfn", "9").exitCode()).isEqualTo(3);
    }
}
