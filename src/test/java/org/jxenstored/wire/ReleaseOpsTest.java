package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.INTRODUCE;
import static org.jxenstored.wire.XsTestClient.IS_DOMAIN_INTRODUCED;
import static org.jxenstored.wire.XsTestClient.RELEASE;
import static org.jxenstored.wire.XsTestClient.nul;

import org.jxenstored.testing.TestDaemon;
import org.junit.jupiter.api.Test;

/**
 * RELEASE over the socket (no hypervisor: the daemon never hears of a death, so RELEASE is the only clean-up): the
 * domain's nodes, its id in permissions and its accounting go at once, as in C xenstored's do_release. The C 4.17
 * anchor leaves the stale (ignored) entry in GET_PERMS; 4.22 removes it, as here, hence a daemon of our own.
 */
class ReleaseOpsTest extends WireTestBase {
    private static final int GET_QUOTA = 25;
    private static final int SET_QUOTA = 26;

    /** Introduces {@code domid} and gives it a node of its own, read access to another, and a quota of its own. */
    private static void domainWithNodes(XsTestClient dom0, String base, String domid) {
        assertThat(dom0.request(INTRODUCE, nul(domid, "0", "1")).text()).isEqualTo("OK\0");
        assertThat(dom0.write(base + "/secret", "old-domain-secret").text()).isEqualTo("OK\0");
        assertThat(dom0.setPerms(base + "/secret", "n" + domid).text()).isEqualTo("OK\0");
        assertThat(dom0.write(base + "/x", "shared").text()).isEqualTo("OK\0");
        assertThat(dom0.setPerms(base + "/x", "n0", "r" + domid).text()).isEqualTo("OK\0");
        assertThat(dom0.request(SET_QUOTA, nul(domid, "nodes", "7")).text()).isEqualTo("OK\0");
    }

    @Test
    void releaseRemovesTheDomainsNodesAndItsIdEverywhere() {
        assumeOwnDaemon();
        domainWithNodes(c, base, "41");
        assertThat(c.watch(base + "/secret", "s").text()).isEqualTo("OK\0");
        assertThat(c.watch("@releaseDomain", "r").text()).isEqualTo("OK\0");
        c.sync();
        c.takeEvents();

        assertThat(c.request(RELEASE, nul("41")).text()).isEqualTo("OK\0");
        assertThat(c.takeEvents()).containsExactly(base + "/secret|s", "@releaseDomain|r");
        assertThat(c.read(base + "/secret").text()).isEqualTo("ENOENT\0");
        assertThat(c.getPerms(base + "/x").text()).isEqualTo("n0\0");
        // Socket-only: no hypervisor says whether 41 still exists, so it may be met again, but as a new domain.
        String global = c.request(GET_QUOTA, nul("nodes")).text();
        assertThat(c.request(GET_QUOTA, nul("41", "nodes")).text()).as("its own quota died with it")
                .isEqualTo(global);
        assertThat(c.control("quota", "41").text()).as("its accounting too")
                .contains("nodes            :        0 (max        0)");
        assertThat(c.request(IS_DOMAIN_INTRODUCED, nul("41")).text()).isEqualTo("F\0");
        assertThat(c.request(RELEASE, nul("41")).text()).isEqualTo("ENOENT\0");
        assertThat(c.control("check").text()).isEqualTo("OK\0");

        assertThat(c.request(INTRODUCE, nul("41", "0", "1")).text()).isEqualTo("OK\0");
        assertThat(c.request(GET_QUOTA, nul("41", "nodes")).text()).isEqualTo(global);
        assertThat(c.control("quota", "41").text()).contains("nodes            :        0 (max        0)");
        assertThat(c.request(RELEASE, nul("41")).text()).isEqualTo("OK\0");
    }

    @Test
    void releaseHandsTheNodesToDom0WhenOrphansAreKept() {
        assumeOwnDaemon();
        try (TestDaemon keep = TestDaemon.start(cfg -> cfg.keepOrphans = true);
                XsTestClient dom0 = XsTestClient.connect(keep.socketPath())) {
            domainWithNodes(dom0, base, "42");
            assertThat(dom0.request(RELEASE, nul("42")).text()).isEqualTo("OK\0");
            assertThat(dom0.read(base + "/secret").text()).isEqualTo("old-domain-secret");
            assertThat(dom0.getPerms(base + "/secret").text()).isEqualTo("n0\0");
            assertThat(dom0.getPerms(base + "/x").text()).isEqualTo("n0\0");
            assertThat(dom0.control("quota", "42").text()).as("no accounting left")
                    .matches("ENOENT\0|(?s).*nodes            :        0 \\(max.*");
            assertThat(dom0.control("check").text()).isEqualTo("OK\0");
        }
    }
}
