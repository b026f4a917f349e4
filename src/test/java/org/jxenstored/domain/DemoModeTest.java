package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.jxenstored.daemon.DaemonConfig;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient;
import org.junit.jupiter.api.Test;

/** The daemon's demo mode: simulated guests introduced at start, served over their rings, leaving on request. */
class DemoModeTest {
    @Test
    void simulatedGuestsBootTalkAndLeave() throws Exception {
        try (TestDaemon d = TestDaemon.start(c -> {
            c.platform = DaemonConfig.PlatformMode.SIMULATE;
            c.simulatedGuests = 2;
        }); XsTestClient dom0 = XsTestClient.connect(d.socketPath())) {
            assertThat(await(dom0, "/local/domain/2/data/status", "booted")).isTrue();
            assertThat(dom0.getPerms("/local/domain/1/data/status").text()).isEqualTo("n1\0");
            assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("2")).text())
                    .isEqualTo("T\0");
            assertThat(dom0.control("mfn", "2").value()).as("the frame the demo introduced it with")
                    .isEqualTo(Long.toString(0x100000L + 2));
            assertThat(dom0.write("/local/domain/2/control/shutdown", "poweroff").text()).isEqualTo("OK\0");
            assertThat(await(dom0, "/local/domain/2/data/status", "shutting down")).isTrue();
        }
    }

    @Test
    void withoutXenTheDaemonRunsSocketOnly() {
        try (TestDaemon d = TestDaemon.start(c -> c.platform = DaemonConfig.PlatformMode.AUTO);
                XsTestClient dom0 = XsTestClient.connect(d.socketPath())) {
            assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("0")).text())
                    .isEqualTo("T\0");
            assertThat(dom0.request(XsTestClient.INTRODUCE, XsTestClient.nul("3", "0", "7")).text())
                    .as("domains can be introduced without rings (toolstack bookkeeping)").isEqualTo("OK\0");
            assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("3")).text())
                    .isEqualTo("T\0");
        }
    }

    private static boolean await(XsTestClient c, String path, String value) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (c.read(path).text().equals(value)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
