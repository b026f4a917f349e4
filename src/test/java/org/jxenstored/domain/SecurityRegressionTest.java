package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.store.Usage;
import org.jxenstored.testing.SimHost;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;

/** Negative tests for advisories not covered elsewhere (see docs/security.md for the full map). */
class SecurityRegressionTest extends GuestTestSupport {
    @Override
    SimHost startSimHost() {
        return SimHost.start(l -> l.set(QuotaKind.NODES, 20), new DomainOptions());
    }

    private void assertAccountingExact() {
        host.onStore(() -> {
            assertThat(host.server().store().usage().snapshot()).usingRecursiveComparison()
                    .isEqualTo(Usage.recount(host.server().store().live().root()).snapshot());
            return null;
        });
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");
    }

    /** XSA-421: a node created and removed in one transaction; XSA-415: a failed create inside a transaction. */
    @Test
    void transactionsThatCreateRemoveAndFailLeaveExactAccounting() throws Exception {
        SimGuest g = bootGuest(5);
        int tx = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        assertThat(ask(g, XsType.WRITE, tx, "tmp/a\0v".getBytes())).isEqualTo("OK");
        assertThat(ask(g, XsType.RM, tx, "tmp\0".getBytes())).isEqualTo("OK");
        assertThat(ask(g, XsType.WRITE, tx, "/forbidden/x\0v".getBytes())).isEqualTo("ERROR EACCES");
        StringBuilder deep = new StringBuilder("d");
        for (int i = 0; i < 30; i++) {
            deep.append("/d");
        }
        assertThat(ask(g, XsType.WRITE, tx, (deep + "\0v").getBytes())).as("over the nodes quota")
                .isEqualTo("ERROR ENOSPC");
        assertThat(ask(g, XsType.WRITE, tx, "kept\0v".getBytes())).isEqualTo("OK");
        assertThat(ask(g, XsType.TRANSACTION_END, tx, "T\0".getBytes())).isEqualTo("OK");
        assertThat(dom0.read("/local/domain/5/tmp").text()).isEqualTo("ENOENT\0");
        assertThat(dom0.read("/local/domain/5/d").text()).as("no orphan from the failed create")
                .isEqualTo("ENOENT\0");
        assertThat(dom0.read("/local/domain/5/kept").text()).isEqualTo("v");
        assertAccountingExact();
    }

    /** XSA-440: two transactions deleting the same nodes; accounting never goes negative. */
    @Test
    void twoTransactionsDeletingTheSameNodes() throws Exception {
        SimGuest g = bootGuest(5);
        for (int i = 0; i < 5; i++) {
            assertThat(write(g, "shared/n" + i, "v")).isEqualTo("OK");
        }
        int t1 = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        int t2 = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        assertThat(ask(g, XsType.RM, t1, "shared\0".getBytes())).isEqualTo("OK");
        assertThat(ask(g, XsType.RM, t2, "shared\0".getBytes())).isEqualTo("OK");
        assertThat(ask(g, XsType.TRANSACTION_END, t1, "T\0".getBytes())).isEqualTo("OK");
        assertThat(ask(g, XsType.TRANSACTION_END, t2, "T\0".getBytes())).as("as C: it removed what t1 changed")
                .isEqualTo("ERROR EAGAIN");
        assertThat(host.onStore(() -> host.server().store().usage().nodes(5))).isEqualTo(1);
        assertAccountingExact();
    }

    /** XSA-418: the deepest tree the path limit allows is created, listed, checked and removed without recursion. */
    @Test
    void theDeepestAllowedTreeIsHandled() {
        StringBuilder p = new StringBuilder();
        while (p.length() + 2 <= 2048) {
            p.append("/z");
        }
        String deepest = p.toString();
        ok(dom0.write(deepest, "bottom"));
        assertThat(dom0.read(deepest).text()).isEqualTo("bottom");
        assertThat(dom0.directory(deepest.substring(0, deepest.length() - 2)).text()).isEqualTo("z\0");
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");
        ok(dom0.rm("/z"));
        assertThat(dom0.read(deepest).text()).isEqualTo("ENOENT\0");
        assertAccountingExact();
    }

    /** XSA-233/425: a device model and its target die together; teardown is order-independent and complete. */
    @Test
    void aDeviceModelAndItsTargetDyingTogether() throws Exception {
        SimGuest guest = bootGuest(9);
        SimGuest dm = bootGuest(8);
        ok(dom0.request(XsTestClient.SET_TARGET, XsTestClient.nul("8", "9")));
        assertThat(ask(dm, XsType.WATCH, "/local/domain/9", "dm")).isEqualTo("OK");
        assertThat(ask(guest, XsType.WATCH, "data", "g")).isEqualTo("OK");
        host.platform().markDying(8);
        host.platform().destroy(9);
        host.platform().destroy(8);
        Thread.sleep(200);
        dom0.sync();
        assertThat(host.onStore(() -> host.server().watchIndex().size())).isZero();
        assertThat(host.onStore(() -> host.server().connections().stream().filter(c -> c.domid() != 0).count()))
                .as("only Dom0's connections remain").isZero();
        assertThat(dom0.read("/local/domain/8").text()).isEqualTo("ENOENT\0");
        assertThat(dom0.read("/local/domain/9").text()).isEqualTo("ENOENT\0");
        assertThat(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("8")).text()).as("already gone: idempotent")
                .isEqualTo("ENOENT\0");
        assertAccountingExact();
    }
}
