package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.jxenstored.protocol.XsType;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;

/** INTRODUCE, RELEASE, shutdown, death and domid reuse, as the toolstack and Xen drive them. */
class DomainLifeTest extends GuestTestSupport {
    /** Lets VIRQ handling (another thread's work) finish, then collects what Dom0 was sent. */
    private void settle() throws InterruptedException {
        Thread.sleep(200);
        dom0.sync();
    }

    @Test
    void introduceAndReleaseFireTheSpecialWatches() throws Exception {
        ok(dom0.watch("@introduceDomain", "in"));
        ok(dom0.watch("@releaseDomain", "out"));
        ok(dom0.watch("@releaseDomain/5", "five"));
        dom0.sync();
        dom0.takeEvents();
        SimGuest g = bootGuest(5);
        dom0.sync();
        assertThat(dom0.takeEvents()).containsExactly("@introduceDomain|in");
        assertThat(write(g, "x", "1")).isEqualTo("OK");
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")));
        dom0.sync();
        assertThat(dom0.takeEvents()).containsExactly("@releaseDomain|out", "@releaseDomain/5|five");
        assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("5")).text()).isEqualTo("F\0");
        assertThat(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")).text()).isEqualTo("ENOENT\0");
        assertThat(dom0.read("/local/domain/5/x").text()).as("RELEASE removes its nodes, as C xenstored does")
                .isEqualTo("ENOENT\0");
        g.send(new org.jxenstored.protocol.XsMessage(XsType.READ.code, 99, 0, "x\0".getBytes()));
        assertThat(g.receive(300)).as("a released domain is not served").isNull();
    }

    @Test
    void shutdownFiresReleaseDomainOnceUntilResume() throws Exception {
        bootGuest(5);
        ok(dom0.watch("@releaseDomain", "out"));
        dom0.sync();
        dom0.takeEvents();
        host.platform().shutdown(5, 0);
        host.platform().raiseDomExc();
        settle();
        assertThat(dom0.takeEvents()).as("once per shutdown").containsExactly("@releaseDomain|out");
        ok(dom0.request(XsTestClient.RESUME, XsTestClient.nul("5")));
        host.platform().raiseDomExc();
        settle();
        assertThat(dom0.takeEvents()).as("RESUME re-arms it").containsExactly("@releaseDomain|out");
    }

    @Test
    void aDeadDomainLeavesNoTraceAndItsIdCanBeReused() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(write(g, "data/a", "1")).isEqualTo("OK");
        assertThat(ask(g, XsType.WATCH, "data", "w")).isEqualTo("OK");
        host.createGuest(6); // a domain must exist to be named in permissions
        ok(dom0.write("/shared/for5", "s"));
        ok(dom0.setPerms("/shared/for5", "n0", "r5", "w6"));
        ok(dom0.write("/shared/owned-elsewhere", "o"));
        ok(dom0.setPerms("/shared/owned-elsewhere", "n5"));
        ok(dom0.watch("@releaseDomain", "out"));
        ok(dom0.watch("/local/domain/5/data", "d0"));
        dom0.sync();
        dom0.takeEvents();

        host.platform().destroy(5);
        settle();
        assertThat(dom0.takeEvents()).contains("/local/domain/5/data|d0", "@releaseDomain|out");
        assertThat(dom0.read("/local/domain/5").text()).as("its home is gone").isEqualTo("ENOENT\0");
        assertThat(dom0.read("/shared/owned-elsewhere").text()).as("XSA-419: nodes it owned anywhere")
                .isEqualTo("ENOENT\0");
        assertThat(dom0.getPerms("/shared/for5").text()).as("XSA-322: its id is gone from every ACL")
                .isEqualTo("n0\0w6\0");
        assertThat(host.onStore(() -> host.server().watchIndex().size())).as("its watches are gone")
                .isEqualTo(2);
        assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("5")).text()).isEqualTo("F\0");
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");

        // The id comes back as a new domain: nothing of the old one applies to it.
        ok(dom0.setPerms("/shared/for5", "n0", "w6"));
        SimGuest reborn = bootGuest(5);
        assertThat(ask(reborn, XsType.READ, "/shared/for5")).isEqualTo("ERROR EACCES");
        assertThat(ask(reborn, XsType.READ, "data/a")).isEqualTo("ERROR ENOENT");
    }

    @Test
    void orphansCanBeKeptAndHandedToDom0() throws Exception {
        host.close();
        DomainOptions keep = new DomainOptions();
        keep.keepOrphans = true;
        host = org.jxenstored.testing.SimHost.start(l -> { }, keep);
        dom0.close();
        dom0 = XsTestClient.connect(host.socketPath());
        SimGuest g = bootGuest(5);
        assertThat(write(g, "data", "1")).isEqualTo("OK");
        host.platform().destroy(5);
        settle();
        assertThat(dom0.read("/local/domain/5/data").text()).isEqualTo("1");
        assertThat(dom0.getPerms("/local/domain/5/data").text()).isEqualTo("n0\0");
    }

    @Test
    void featuresAreSetBeforeIntroduceAndReadableByTheGuest() throws Exception {
        assertThat(dom0.request(24, XsTestClient.nul("5", "6")).text()).as("C 4.22: no such domain yet")
                .isEqualTo("ENOENT\0");
        SimGuest g = host.createGuest(5);
        ok(dom0.request(24, XsTestClient.nul("5", "6")));
        ok(dom0.request(XsTestClient.INTRODUCE, XsTestClient.nul("5", "0", Integer.toString(g.port()))));
        assertThat(g.page().serverFeatures()).isEqualTo(6);
        assertThat(dom0.request(24, XsTestClient.nul("5", "2")).text()).as("too late after INTRODUCE")
                .isEqualTo("EBUSY\0");
        assertThat(dom0.request(24, XsTestClient.nul("6", "256")).text()).as("C: ENOENT before EINVAL")
                .isEqualTo("ENOENT\0");
        host.createGuest(6);
        assertThat(dom0.request(24, XsTestClient.nul("6", "256")).text()).isEqualTo("EINVAL\0");
        assertThat(dom0.request(23, XsTestClient.nul("5")).text()).isEqualTo("6\0");
        assertThat(ask(g, XsType.GET_FEATURE, 0, new byte[0])).as("a guest reads its own").isEqualTo("6");
        assertThat(ask(g, XsType.GET_FEATURE, "0")).as("but not another's").isEqualTo("ERROR EACCES");
    }

    /**
     * Xen 4.22: @releaseDomain may be read by every domain ({@code n0 r32757}); @introduceDomain only by Dom0 and
     * domains granted by SET_PERMS.
     */
    @Test
    void specialWatchesReachGuestsWhenTheyMayReadTheSpecialNode() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(ask(g, XsType.GET_PERMS, "@releaseDomain")).isEqualTo("n0\0r32757\0");
        assertThat(ask(g, XsType.GET_PERMS, "@introduceDomain")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.WATCH, "@releaseDomain", "r")).isEqualTo("OK");
        assertThat(ask(g, XsType.WATCH, "@introduceDomain", "i")).isEqualTo("OK");
        assertThat(g.awaitEvent(2000)).as("the initial events").isTrue();
        assertThat(write(g, "sync", "0")).isEqualTo("OK");
        takeEvents(g);
        bootGuest(6);
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("6")));
        assertThat(write(g, "sync", "1")).isEqualTo("OK");
        assertThat(takeEvents(g)).containsExactly("@releaseDomain|r");
        ok(dom0.setPerms("@releaseDomain", "n0"));
        ok(dom0.setPerms("@introduceDomain", "n0", "r5"));
        bootGuest(7);
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("7")));
        assertThat(write(g, "sync", "2")).isEqualTo("OK");
        assertThat(takeEvents(g)).containsExactly("@introduceDomain|i");
    }
}
