package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jxenstored.control.CheckCommand;
import org.jxenstored.control.Control;
import org.jxenstored.control.DomainView;
import org.jxenstored.control.QuotaCommand;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.SpecialNodes;
import org.jxenstored.store.Usage;
import org.jxenstored.testing.SimHost;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;

/**
 * XS_RELEASE and the domain's death in every order (XSA-322 class): whichever comes first, nothing of the old domain
 * (its nodes, its id in permissions, its accounting, quotas and features) is left for a new domain with its id.
 * RELEASE removes it all at once, as C xenstored does (domain.c: do_release frees the domain, destroy_domain).
 */
class ReleaseAndDeathTest extends GuestTestSupport {
    private static final int GET_QUOTA = 25;
    private static final int SET_QUOTA = 26;
    private static final int SET_FEATURE = 24;
    private static final String SECRET = "old-domain-secret";

    @Override
    SimHost startSimHost() {
        return SimHost.start(l -> l.set(QuotaKind.NODES, 50), new DomainOptions());
    }

    /** Lets VIRQ handling (another thread's work) finish, then collects what Dom0 was sent. */
    private void settle() throws InterruptedException {
        Thread.sleep(200);
        dom0.sync();
    }

    /**
     * Domain 5 as the bug report has it: its own secret, read access to a Dom0 node, and everything else a domain
     * can hold: features from SET_FEATURE, a quota from SET_QUOTA, leave to hear @releaseDomain, a watch and an open
     * transaction.
     */
    private SimGuest oldDomain5() throws InterruptedException {
        SimGuest g = bootGuest(5, () -> ok(dom0.request(SET_FEATURE, XsTestClient.nul("5", "2"))));
        assertThat(write(g, "data/secret", SECRET)).isEqualTo("OK");
        ok(dom0.write("/shared/x", "for five"));
        ok(dom0.setPerms("/shared/x", "n0", "r5"));
        ok(dom0.request(SET_QUOTA, XsTestClient.nul("5", "nodes", "7")));
        ok(dom0.setPerms("@releaseDomain", "n0", "r5"));
        assertThat(ask(g, XsType.WATCH, "data", "w")).isEqualTo("OK");
        assertThat(ask(g, XsType.TRANSACTION_START, "")).matches("\\d+");
        assertThat(ask(g, XsType.READ, "/shared/x")).isEqualTo("for five");
        assertThat(host.onStore(() -> host.server().quotas().held().total(5))).isPositive();
        ok(dom0.watch("@releaseDomain", "out"));
        dom0.sync();
        dom0.takeEvents();
        return g;
    }

    /** The store and the accounting know nothing of domain 5 any more. */
    private void assertNothingLeftOf5() {
        assertThat(dom0.read("/local/domain/5/data/secret").text()).isEqualTo("ENOENT\0");
        assertThat(dom0.read("/local/domain/5").text()).as("its home, which it owned").isEqualTo("ENOENT\0");
        assertThat(dom0.getPerms("/shared/x").text()).as("its id left the ACL").isEqualTo("n0\0");
        // A domain Xen still runs (released, not yet dead) is met again as a new one (C 4.22): no accounting, and
        // the global quota, never the 7 it was given.
        assertThat(dom0.control("quota", "5").text()).as("xenstore-control quota 5")
                .matches("ENOENT\0|(?s).*nodes            :        0 \\(max.*");
        assertThat(dom0.request(GET_QUOTA, XsTestClient.nul("5", "nodes")).text()).isIn("ENOENT\0", "50\0");
        assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("5")).text()).isEqualTo("F\0");
        host.onStore(() -> {
            var server = host.server();
            assertThat(server.store().usage().nodes(5)).isZero();
            assertThat(server.store().usage().bytes(5)).isZero();
            assertThat(server.quotas().held().total(5)).as("watches, transactions, output").isZero();
            assertThat(server.quotas().limit(5, QuotaKind.NODES)).as("its own quota (7) is gone").isEqualTo(50);
            assertThat(server.specialNodes().perms(SpecialNodes.RELEASE_DOMAIN).wire()).as("GET_PERMS @releaseDomain")
                    .isEqualTo("n0\0".getBytes());
            assertThat(server.store().usage().snapshot()).usingRecursiveComparison()
                    .isEqualTo(Usage.recount(server.store().live().root()).snapshot());
            assertThat(server.connections().stream().filter(c -> c.domid() == 5)).isEmpty();
            return null;
        });
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");
    }

    /** A new domain 5, prepared by the toolstack as usual, gets nothing of the old one. */
    private SimGuest assertANewDomain5InheritsNothing() throws InterruptedException {
        SimGuest reborn = bootGuest(5);
        assertThat(ask(reborn, XsType.READ, "data/secret")).isEqualTo("ERROR ENOENT");
        assertThat(ask(reborn, XsType.READ, "/shared/x")).isEqualTo("ERROR EACCES");
        assertThat(reborn.page().serverFeatures()).as("features: the default again")
                .isEqualTo(Domains.SUPPORTED_FEATURES);
        assertThat(dom0.request(GET_QUOTA, XsTestClient.nul("5", "nodes")).text()).as("the global quota again")
                .isEqualTo("50\0");
        assertThat(dom0.control("quota", "5").text()).contains("nodes            :        1 (max");
        assertThat(host.onStore(() -> host.server().quotas().held().total(5))).isZero();
        for (int i = 0; i < 10; i++) {
            assertThat(write(reborn, "n" + i, "v")).as("more nodes than the old quota of 7").isEqualTo("OK");
        }
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");
        return reborn;
    }

    @Test
    void releaseThenDeath() throws Exception {
        oldDomain5();
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")));
        dom0.sync();
        assertThat(dom0.takeEvents()).containsExactly("@releaseDomain|out");
        assertNothingLeftOf5();

        host.platform().destroy(5);
        settle();
        assertThat(dom0.takeEvents()).as("RELEASE already fired it, as in C").isEmpty();
        assertNothingLeftOf5();
        assertANewDomain5InheritsNothing();
    }

    @Test
    void deathThenRelease() throws Exception {
        oldDomain5();
        host.platform().destroy(5);
        settle();
        assertThat(dom0.takeEvents()).containsExactly("@releaseDomain|out");
        assertThat(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")).text()).as("no longer introduced")
                .isEqualTo("ENOENT\0");
        dom0.sync();
        assertThat(dom0.takeEvents()).isEmpty();
        assertNothingLeftOf5();
        assertANewDomain5InheritsNothing();
    }

    /** libxl's order: the domain is already dead when RELEASE comes, and the VIRQ is handled after it. */
    @Test
    void releaseOfADomainXenHasAlreadyDestroyed() throws Exception {
        oldDomain5();
        host.platform().destroyUnnoticed(5);
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")));
        dom0.sync();
        assertThat(dom0.takeEvents()).containsExactly("@releaseDomain|out");
        assertNothingLeftOf5();

        host.platform().raiseDomExc();
        settle();
        assertThat(dom0.takeEvents()).isEmpty();
        assertNothingLeftOf5();
        assertANewDomain5InheritsNothing();
    }

    @Test
    void releaseHandsTheNodesToDom0WhenOrphansAreKept() throws Exception {
        host.close();
        DomainOptions keep = new DomainOptions();
        keep.keepOrphans = true;
        host = SimHost.start(l -> l.set(QuotaKind.NODES, 50), keep);
        dom0.close();
        dom0 = XsTestClient.connect(host.socketPath());
        oldDomain5();
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")));
        assertThat(dom0.read("/local/domain/5/data/secret").text()).isEqualTo(SECRET);
        assertThat(dom0.getPerms("/local/domain/5/data/secret").text()).as("now Dom0's").isEqualTo("n0\0");
        assertThat(dom0.getPerms("/shared/x").text()).isEqualTo("n0\0");
        assertThat(host.onStore(() -> host.server().store().usage().nodes(5))).isZero();
        assertThat(dom0.control("quota", "5").text()).isEqualTo("ENOENT\0");
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");

        host.platform().destroy(5);
        settle();
        SimGuest reborn = bootGuest(5);
        assertThat(ask(reborn, XsType.READ, "data/secret")).as("kept, but Dom0's").isEqualTo("ERROR EACCES");
        assertThat(ask(reborn, XsType.READ, "/shared/x")).isEqualTo("ERROR EACCES");
        assertThat(dom0.request(GET_QUOTA, XsTestClient.nul("5", "nodes")).text()).isEqualTo("50\0");
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");
    }

    /** Xen reuses the id before the daemon has handled the old domain's death. */
    @Test
    void aNewDomainIntroducedBeforeTheOldOnesDeathIsHandled() throws Exception {
        oldDomain5();
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")));
        host.platform().destroyUnnoticed(5);
        SimGuest reborn = assertANewDomain5InheritsNothing();

        host.platform().raiseDomExc(); // the old domain's death, late
        settle();
        assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("5")).text()).isEqualTo("T\0");
        assertThat(ask(reborn, XsType.READ, "n0")).as("the new domain keeps its nodes").isEqualTo("v");
        assertThat(write(reborn, "after", "1")).isEqualTo("OK");
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");
    }

    /** While a released domain lives on, Dom0 can still name it; what it named goes when Xen reports the death. */
    @Test
    void whatDom0GivesAReleasedDomainGoesWithItsDeath() throws Exception {
        oldDomain5();
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")));
        ok(dom0.write("/shared/late", "l"));
        ok(dom0.setPerms("/shared/late", "n0", "r5"));
        ok(dom0.write("/shared/late-owned", "o"));
        ok(dom0.setPerms("/shared/late-owned", "n5"));
        ok(dom0.watch("/shared/late-owned", "lo"));
        dom0.sync();
        dom0.takeEvents();

        host.platform().destroy(5);
        settle();
        assertThat(dom0.getPerms("/shared/late").text()).isEqualTo("n0\0");
        assertThat(dom0.read("/shared/late-owned").text()).isEqualTo("ENOENT\0");
        assertThat(dom0.takeEvents()).as("no second @releaseDomain").containsExactly("/shared/late-owned|lo");
        assertNothingLeftOf5();
        SimGuest reborn = assertANewDomain5InheritsNothing();
        assertThat(ask(reborn, XsType.READ, "/shared/late")).isEqualTo("ERROR EACCES");
    }

    /** libxl's soft reset: RELEASE, the toolstack writes the domain's entries again, INTRODUCE of the same domain. */
    @Test
    void aDomainReleasedAndIntroducedAgainKeepsWhatTheToolstackGaveItMeanwhile() throws Exception {
        SimGuest g = oldDomain5();
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")));
        ok(dom0.write("/local/domain/5", ""));
        ok(dom0.setPerms("/local/domain/5", "n5"));
        ok(dom0.write("/local/domain/5/name", "same"));
        ok(dom0.setPerms("/shared/x", "n0", "r5"));
        ok(dom0.request(XsTestClient.INTRODUCE, XsTestClient.nul("5", "0", Integer.toString(g.port()))));

        host.platform().raiseDomExc(); // some domain changed state
        settle();
        assertThat(ask(g, XsType.READ, "name")).isEqualTo("same");
        assertThat(ask(g, XsType.READ, "/shared/x")).isEqualTo("for five");
        assertThat(ask(g, XsType.READ, "data/secret")).as("RELEASE removed it").isEqualTo("ERROR ENOENT");
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");
    }
}
