package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.nul;

import org.jxenstored.protocol.XsType;
import org.jxenstored.testing.SimHost;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;

/**
 * Xen 4.22's permissions and quota requests as guests meet them (the guest rows of the c-next probes, PROBES.md):
 * permission entries naming no domain, DOMID_ANY, the special nodes' permissions, the quota and feature requests for
 * domains that do not exist, quota values copied when a domain is met, and what {@code quota <domid>} reports.
 */
class Xen422GuestTest extends GuestTestSupport {
    private static final int SET_FEATURE = 24;
    private static final int GET_QUOTA = 25;
    private static final int SET_QUOTA = 26;

    @Override
    SimHost startSimHost() {
        return SimHost.start(l -> l.writeRatePerSecond = 0, new DomainOptions());
    }

    /** Introduces a domain created earlier (a toolstack may configure it in between). */
    private SimGuest introduce(SimGuest g) {
        String home = "/local/domain/" + g.domid();
        ok(dom0.write(home, ""));
        ok(dom0.setPerms(home, "n" + g.domid()));
        ok(dom0.request(XsTestClient.INTRODUCE, nul(Integer.toString(g.domid()), "0", Integer.toString(g.port()))));
        return g;
    }

    @Test
    void aGuestsEntriesMayNameAnything() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(write(g, "data", "v")).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n5", "r32767", "w65536", "b-1", "r99999")).isEqualTo("OK");
        assertThat(ask(g, XsType.GET_PERMS, "data")).isEqualTo("n5\0r32767\0w65536\0b-1\0r99999\0");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n5", "r5000")).as("an absent domain").isEqualTo("OK");
        assertThat(ask(g, XsType.GET_PERMS, "data")).isEqualTo("n5\0r5000\0");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n65536")).isEqualTo("ERROR ENOENT");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n5000")).isEqualTo("ERROR ENOENT");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n0")).as("an owner change").isEqualTo("ERROR EPERM");
    }

    /**
     * An entry naming a domain that does not exist when it is set is kept but grants nothing, also to a domain
     * created later with that id (C marks it ignored), while entries naming existing domains work.
     */
    @Test
    void entriesNamingAbsentDomainsGrantNothingToALaterDomain() throws Exception {
        SimGuest g = bootGuest(5);
        SimGuest six = bootGuest(6);
        assertThat(write(g, "data", "secret")).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n5", "r6", "r7")).isEqualTo("OK");
        ok(dom0.write("/shared", "x"));
        ok(dom0.setPerms("/shared", "n0", "r6", "r8"));
        SimGuest seven = bootGuest(7);
        SimGuest eight = bootGuest(8);
        assertThat(ask(seven, XsType.READ, "/local/domain/5/data")).isEqualTo("ERROR EACCES");
        assertThat(ask(eight, XsType.READ, "/shared")).isEqualTo("ERROR EACCES");
        assertThat(dom0.getPerms("/shared").text()).isEqualTo("n0\0r6\0r8\0");
        assertThat(ask(six, XsType.READ, "/shared")).isEqualTo("x");
        assertThat(ask(six, XsType.READ, "/local/domain/5/data")).isEqualTo("secret");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n5", "r6", "r7")).as("set again now that 7 exists")
                .isEqualTo("OK");
        assertThat(ask(seven, XsType.READ, "/local/domain/5/data")).isEqualTo("secret");
    }

    /**
     * DOMID_ANY (32757): an entry for every domain (4.17 kept it but it matched nobody). A guest may not make it the
     * owner (EPERM). Dom0's socket may name it (C 4.22.0 crashes there). A guest whose DOMID_ANY feature was
     * switched off before INTRODUCE sets an entry that grants nothing.
     */
    @Test
    void domidAny() throws Exception {
        SimGuest g = bootGuest(5);
        SimGuest other = bootGuest(6);
        assertThat(write(g, "any", "v")).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "any", "n5", "r32757")).isEqualTo("OK");
        assertThat(ask(g, XsType.GET_PERMS, "any")).isEqualTo("n5\0r32757\0");
        assertThat(ask(other, XsType.READ, "/local/domain/5/any")).isEqualTo("v");
        assertThat(write(other, "/local/domain/5/any", "w")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.SET_PERMS, "any", "n32757")).isEqualTo("ERROR EPERM");
        assertThat(ask(g, XsType.SET_PERMS, "any", "n5", "b32757")).isEqualTo("OK");
        assertThat(write(other, "/local/domain/5/any", "w")).isEqualTo("OK");
        assertThat(ask(other, XsType.READ, "/local/domain/5")).as("no ANY on the home").isEqualTo("ERROR EACCES");

        ok(dom0.write("/pub", "p"));
        ok(dom0.setPerms("/pub", "n0", "r32757"));
        assertThat(dom0.getPerms("/pub").text()).isEqualTo("n0\0r32757\0");
        assertThat(ask(other, XsType.READ, "/pub")).isEqualTo("p");
        assertThat(write(other, "/pub", "q")).isEqualTo("ERROR EACCES");

        SimGuest old = host.createGuest(7);
        ok(dom0.request(SET_FEATURE, nul("7", "6"))); // no DOMID_ANY
        introduce(old);
        assertThat(ask(old, XsType.GET_FEATURE, 0, new byte[0])).isEqualTo("6");
        assertThat(write(old, "mine", "m")).isEqualTo("OK");
        assertThat(ask(old, XsType.SET_PERMS, "mine", "n7", "r32757")).isEqualTo("OK");
        assertThat(ask(old, XsType.GET_PERMS, "mine")).isEqualTo("n7\0r32757\0");
        assertThat(ask(other, XsType.READ, "/local/domain/7/mine")).isEqualTo("ERROR EACCES");
    }

    /**
     * Guests and the special nodes: {@code @releaseDomain} is readable by all ({@code n0 r32757}),
     * {@code @introduceDomain} by Dom0 only; a missing {@code @} node answers by its nearest ancestor's
     * permissions (C 4.22's rule: {@code @releaseDomain} for {@code @releaseDomain/5}, the root for {@code @foo}).
     */
    @Test
    void specialNodesForAGuest() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(ask(g, XsType.GET_PERMS, "@releaseDomain")).isEqualTo("n0\0r32757\0");
        assertThat(ask(g, XsType.GET_PERMS, "@introduceDomain")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.GET_PERMS, "@releaseDomain/5")).isEqualTo("ERROR ENOENT");
        assertThat(ask(g, XsType.GET_PERMS, "@introduceDomain/5")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.GET_PERMS, "@foo")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.SET_PERMS, "@releaseDomain", "n0")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.SET_PERMS, "@introduceDomain", "n0", "r5")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.SET_PERMS, "@releaseDomain/5", "n0")).isEqualTo("ERROR EACCES");
        ok(dom0.setPerms("@introduceDomain", "n0", "r5"));
        assertThat(ask(g, XsType.GET_PERMS, "@introduceDomain")).isEqualTo("n0\0r5\0");
        host.platform().destroy(5);
        Thread.sleep(200);
        dom0.sync();
        assertThat(dom0.getPerms("@introduceDomain").text()).as("a dead domain's entries go")
                .isEqualTo("n0\0");
    }

    /**
     * GET_QUOTA, SET_QUOTA, GET_FEATURE and SET_FEATURE for a domain the hypervisor does not report: ENOENT; for one
     * it reports but nobody introduced: its values. A domid that cannot be read: EINVAL.
     */
    @Test
    void quotaAndFeatureRequestsForDomainsThatDoNotExist() throws Exception {
        SimGuest g = bootGuest(5);
        for (String absent : new String[] {"42", "32751", "32752", "40000", "65535"}) {
            assertThat(dom0.request(GET_QUOTA, nul(absent, "nodes")).text()).as(absent).isEqualTo("ENOENT\0");
            assertThat(dom0.request(SET_QUOTA, nul(absent, "nodes", "1")).text()).isEqualTo("ENOENT\0");
            assertThat(dom0.request(23, nul(absent)).text()).isEqualTo("ENOENT\0");
            assertThat(dom0.request(SET_FEATURE, nul(absent, "0")).text()).isEqualTo("ENOENT\0");
        }
        for (String bad : new String[] {"70000", "abc", "-1"}) {
            assertThat(dom0.request(GET_QUOTA, nul(bad, "nodes")).text()).as(bad).isEqualTo("EINVAL\0");
            assertThat(dom0.request(23, nul(bad)).text()).isEqualTo("EINVAL\0");
        }
        host.createGuest(9);
        assertThat(dom0.request(GET_QUOTA, nul("9", "nodes")).text()).isEqualTo("1000\0");
        assertThat(dom0.request(23, nul("9")).text()).isEqualTo("15\0");
        assertThat(dom0.control("quota", "9").text()).startsWith("Domain 9:\nnodes            :        0 (max ");
        assertThat(ask(g, XsType.GET_QUOTA, 0, new byte[0])).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.GET_QUOTA, "nodes")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.SET_QUOTA, "nodes", "1")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.GET_FEATURE, "0")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.GET_FEATURE, "")).as("an argument, even empty, needs privilege")
                .isEqualTo("ERROR EACCES");
    }

    /**
     * A global change reaches the domains met afterwards; those met before keep the value they took (C 4.22 copies
     * the global values into a domain's structure when it creates it), whether the change came by SET_QUOTA or by
     * CONTROL quota set.
     */
    @Test
    void aGlobalQuotaChangeReachesLaterDomainsOnly() throws Exception {
        SimGuest early = bootGuest(5);
        ok(dom0.request(SET_QUOTA, nul("nodes", "3")));
        SimGuest later = bootGuest(6); // its home: 1 node
        for (int i = 0; i < 5; i++) {
            assertThat(write(early, "e" + i, "")).as("keeps 1000").isEqualTo("OK");
        }
        assertThat(write(later, "l0", "")).isEqualTo("OK");
        assertThat(write(later, "l1", "")).isEqualTo("OK");
        assertThat(write(later, "l2", "")).isEqualTo("ERROR ENOSPC");
        assertThat(dom0.request(GET_QUOTA, nul("5", "nodes")).text()).isEqualTo("1000\0");
        assertThat(dom0.request(GET_QUOTA, nul("6", "nodes")).text()).isEqualTo("3\0");
        ok(dom0.control("quota", "set", "nodes", "4"));
        assertThat(write(later, "l2", "")).as("6 keeps 3").isEqualTo("ERROR ENOSPC");
        SimGuest third = bootGuest(7);
        for (int i = 0; i < 3; i++) {
            assertThat(write(third, "t" + i, "")).isEqualTo("OK");
        }
        assertThat(write(third, "t3", "")).isEqualTo("ERROR ENOSPC");
        ok(dom0.request(SET_QUOTA, nul("6", "nodes", "0")));
        assertThat(write(later, "l2", "")).as("a domain's own value: 0 is no limit").isEqualTo("OK");
        ok(dom0.request(SET_QUOTA, nul("nodes", "1000")));
    }

    /** {@code quota <domid>}: each item now and the highest value seen; {@code quota max} over all guests. */
    @Test
    void quotaReportsWhatAGuestUsesAndTheMaximaSeen() throws Exception {
        assertThat(dom0.control("quota", "max", "-r").text()).startsWith("Max. seen accounting values:\n");
        SimGuest g = bootGuest(5);
        assertThat(write(g, "a", "x".repeat(100))).isEqualTo("OK");
        assertThat(write(g, "b", "")).isEqualTo("OK");
        assertThat(ask(g, XsType.WATCH, "a", "t")).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "b", "n5", "r0", "r0")).isEqualTo("OK");
        assertThat(ask(g, XsType.RM, "a")).isEqualTo("OK");
        String q = dom0.control("quota", "5").text();
        assertThat(q).startsWith("Domain 5:\n")
                .contains("nodes            :        2 (max        3)\n")
                .contains("watches          :        1 (max        1)\n")
                .contains("outstanding      :        0 (max ")
                .containsPattern("(?m)^memory           : +[1-9][0-9]* \\(max +[1-9][0-9]*\\)$")
                .contains("transactions     :        0 (max        0)\n")
                .contains("node-permissions :        0 (max        3)\n")
                .contains("path-max         :        0 (max        1)\n")
                .contains("node-size        :        0 (max      124)\n"); // a: 16 + 8 + 100
        String max = dom0.control("quota", "max").text();
        assertThat(max).contains("nodes            :        3\n").contains("node-size        :      124\n");
        assertThat(dom0.control("quota", "max", "-r").text()).startsWith("Max. seen accounting values:\n");
        assertThat(dom0.control("quota", "max").text()).contains("nodes            :        0\n");
        assertThat(dom0.control("quota", "5").text()).contains("nodes            :        2 (max        2)\n");
        ok(dom0.request(XsTestClient.RELEASE, nul("5")));
        assertThat(dom0.control("quota", "5").text()).as("C 4.22 frees its structure at RELEASE")
                .isEqualTo("ENOENT\0");
    }
}
