package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.store.Usage;
import org.jxenstored.testing.SimHost;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;

/** Per-domain quotas, enforced on guests over their rings; the accounting stays exact on every path. */
class QuotaTest extends GuestTestSupport {
    @Override
    SimHost startSimHost() {
        return SimHost.start(l -> {
            l.set(QuotaKind.NODES, 10);
            l.set(QuotaKind.NODE_SIZE, 300);
            l.set(QuotaKind.NODE_PERMISSIONS, 3);
            l.set(QuotaKind.TRANSACTION_NODES, 8);
            l.set(QuotaKind.MEMORY, 3000);
        }, new DomainOptions());
    }

    private int owned(int domid) {
        return host.onStore(() -> host.server().store().usage().nodes(domid));
    }

    /** The ledger equals a recount of the tree, for every domain. */
    private void assertAccountingExact() {
        host.onStore(() -> {
            Usage live = host.server().store().usage();
            Usage recount = Usage.recount(host.server().store().live().root());
            assertThat(live.snapshot()).usingRecursiveComparison().isEqualTo(recount.snapshot());
            return null;
        });
    }

    @Test
    void nodesQuotaStopsAGuestAndCountsExactly() throws Exception {
        SimGuest g = bootGuest(5); // its home is owned by it: 1 node
        for (int i = 0; i < 9; i++) {
            assertThat(write(g, "n" + i, "v")).isEqualTo("OK");
        }
        assertThat(owned(5)).isEqualTo(10);
        assertThat(write(g, "one-too-many", "v")).isEqualTo("ERROR ENOSPC");
        assertThat(write(g, "deep/a/b", "v")).as("a failed create leaves nothing behind").isEqualTo("ERROR ENOSPC");
        assertThat(ask(g, XsType.READ, "deep")).isEqualTo("ERROR ENOENT");
        assertThat(write(g, "n0", "rewriting is fine")).isEqualTo("OK");
        assertThat(ask(g, XsType.RM, "n0")).isEqualTo("OK");
        assertThat(write(g, "again", "v")).isEqualTo("OK");
        ok(dom0.write("/local/domain/5/by-dom0", "x"));
        assertThat(owned(5)).as("Dom0 is exempt, but what it creates in the guest's home is the guest's")
                .isEqualTo(11);
        ok(dom0.rm("/local/domain/5/n1"));
        assertThat(owned(5)).as("a node deleted by another domain is credited").isEqualTo(10);
        assertAccountingExact();
    }

    @Test
    void nodeSizeAndPermissionsQuotas() throws Exception {
        SimGuest g = bootGuest(5);
        host.createGuest(1); // permissions may only name domains that exist
        host.createGuest(2);
        host.createGuest(3);
        assertThat(write(g, "big", "x".repeat(400))).isEqualTo("ERROR ENOSPC");
        assertThat(write(g, "ok", "x".repeat(200))).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "ok", "n5", "r1", "r2")).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "ok", "n5", "r1", "r2", "r3")).isEqualTo("ERROR ENOSPC");
        ok(dom0.write("/dom0big", "y".repeat(3000)));
        assertAccountingExact();
    }

    @Test
    void memoryQuota() throws Exception {
        SimGuest g = bootGuest(5);
        int i = 0;
        String answer = "OK";
        while (answer.equals("OK") && i < 20) {
            answer = write(g, "m" + i++, "z".repeat(250));
        }
        assertThat(answer).isEqualTo("ERROR ENOSPC");
        assertThat(host.onStore(() -> host.server().store().usage().bytes(5))).isLessThanOrEqualTo(3000);
        assertAccountingExact();
    }

    @Test
    void transactionsAreBoundedAndAccountedOnlyWhenCommitted() throws Exception {
        SimGuest g = bootGuest(5);
        int tx = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        for (int i = 0; i < 3; i++) {
            assertThat(ask(g, XsType.WRITE, tx, ("t" + i + "\0v").getBytes(StandardCharsets.ISO_8859_1)))
                    .isEqualTo("OK");
        }
        assertThat(owned(5)).as("nothing charged before commit").isEqualTo(1);
        assertThat(ask(g, XsType.TRANSACTION_END, tx, "T\0".getBytes())).isEqualTo("OK");
        assertThat(owned(5)).isEqualTo(4);

        int aborted = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        assertThat(ask(g, XsType.WRITE, aborted, "x\0v".getBytes())).isEqualTo("OK");
        assertThat(ask(g, XsType.TRANSACTION_END, aborted, "F\0".getBytes())).isEqualTo("OK");
        assertThat(owned(5)).isEqualTo(4);

        int big = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        String last = "OK";
        int touched = 0;
        while (last.equals("OK") && touched < 20) {
            last = ask(g, XsType.READ, big, ("t0" + touched++ + "\0").getBytes());
            if (last.equals("ERROR ENOENT")) {
                last = "OK";
            }
        }
        assertThat(last).as("transaction-nodes bounds what one transaction touches").isEqualTo("ERROR ENOSPC");
        assertThat(touched).isLessThanOrEqualTo(9);
        assertAccountingExact();
    }

    @Test
    void aDeadDomainsAccountingIsResetForTheNextOneWithItsId() throws Exception {
        SimGuest g = bootGuest(5);
        for (int i = 0; i < 9; i++) {
            assertThat(write(g, "n" + i, "v")).isEqualTo("OK");
        }
        ok(dom0.request(26, XsTestClient.nul("5", "nodes", "20")));
        host.platform().destroy(5);
        Thread.sleep(200);
        dom0.sync();
        assertThat(owned(5)).isZero();
        SimGuest reborn = bootGuest(5);
        for (int i = 0; i < 9; i++) {
            assertThat(write(reborn, "n" + i, "v")).as("XSA-483: full quota again").isEqualTo("OK");
        }
        assertThat(write(reborn, "n9", "v")).as("and its own quota of 20 died with it").isEqualTo("ERROR ENOSPC");
        assertAccountingExact();
    }

    @Test
    void quotasAreReadAndSetOverTheWireGloballyAndPerDomain() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(dom0.request(25, XsTestClient.nul("nodes")).text()).isEqualTo("10\0");
        assertThat(dom0.request(25, XsTestClient.nul("soft-memory")).text()).isEqualTo("2097152\0");
        assertThat(dom0.request(25, XsTestClient.nul("5", "nodes")).text()).as("starts as the global value")
                .isEqualTo("10\0");
        ok(dom0.request(26, XsTestClient.nul("5", "watches", "1")));
        assertThat(dom0.request(25, XsTestClient.nul("5", "watches")).text()).isEqualTo("1\0");
        assertThat(ask(g, XsType.WATCH, "a", "1")).isEqualTo("OK");
        assertThat(ask(g, XsType.WATCH, "b", "2")).isEqualTo("ERROR ENOSPC");
        ok(dom0.request(26, XsTestClient.nul("watches", "0")));
        assertThat(dom0.request(25, XsTestClient.nul("watches")).text()).isEqualTo("0\0");
        assertThat(dom0.request(25, XsTestClient.nul("bogus")).text()).isEqualTo("EINVAL\0");
        assertThat(dom0.request(26, XsTestClient.nul("nodes", "-1")).text()).isEqualTo("EINVAL\0");
        assertThat(dom0.request(25, XsTestClient.nul("42", "nodes")).text()).isEqualTo("ENOENT\0");
        assertThat(ask(g, XsType.GET_QUOTA, "nodes")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.SET_QUOTA, "5", "nodes", "100000")).isEqualTo("ERROR EACCES");
    }

    /** C 4.22: the part after the home prefix must be shorter than path-max (EINVAL); Dom0's socket has none. */
    @Test
    void pathMaxQuotaLimitsGuestPathsButNotDom0() throws Exception {
        host.server().limits().set(QuotaKind.PATH_MAX, 20);
        SimGuest g = bootGuest(5);
        assertThat(write(g, "p".repeat(19), "v")).isEqualTo("OK");
        assertThat(write(g, "p".repeat(20), "v")).isEqualTo("ERROR EINVAL");
        assertThat(write(g, "/local/domain/5/" + "p".repeat(20), "v")).isEqualTo("ERROR EINVAL");
        assertThat(write(g, "/local/domain/6/" + "p".repeat(19), "v")).as("any home prefix: EACCES, not EINVAL")
                .isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.WATCH, "q".repeat(20), "t")).isEqualTo("ERROR EINVAL");
        assertThat(ask(g, XsType.WATCH, "@" + "q".repeat(19), "t")).as("special paths count whole")
                .isEqualTo("ERROR EINVAL");
        assertThat(ask(g, XsType.WATCH, "@" + "q".repeat(18), "t")).isEqualTo("OK");
        assertThat(ask(g, XsType.GET_PERMS, "p".repeat(20))).isEqualTo("ERROR EINVAL");
        ok(dom0.write("/local/domain/5/" + "d".repeat(100), "v"));
        ok(dom0.request(26, XsTestClient.nul("5", "path-max", "0")));
        assertThat(write(g, "p".repeat(100), "v")).as("0: no limit").isEqualTo("OK");
    }
}
