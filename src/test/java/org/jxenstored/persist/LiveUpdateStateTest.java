package org.jxenstored.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.testing.GuestCalls.ask;
import static org.jxenstored.testing.GuestCalls.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jxenstored.migration.C417Compatibility;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Connection;
import org.jxenstored.testing.SimHost;
import org.jxenstored.testing.SimToolstack;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state a live update hands over: a version 1 stream that Debian 12's C xenstored 4.17 can restore (its reader's
 * rules, checked by {@link C417Compatibility}: Dom0's ring first, pre-order, no transaction nodes, owners known,
 * whole messages), and that a jxenstored successor reads back whole.
 */
class LiveUpdateStateTest {
    @TempDir
    Path tmp;

    @Test
    void theDumpIsOneC417CanRestoreAndJxenstoredReadsBack() throws Exception {
        try (SimHost host = SimHost.start(); XsTestClient dom0 = XsTestClient.connect(host.socketPath())) {
            SimGuest guest = host.createGuest(4);
            SimToolstack.boot(dom0, guest);
            assertThat(write(guest, "data/x", "kept")).isEqualTo("OK");
            assertThat(ask(guest, XsType.WATCH, "data", "tok")).isEqualTo("OK");
            assertThat(ask(guest, XsType.WATCH, "deep", "tokd", "1")).as("depth 1").isEqualTo("OK");
            int tx = Integer.parseInt(ask(guest, XsType.TRANSACTION_START, ""));
            assertThat(ask(guest, XsType.WRITE, tx, Payload.nulTerminated("data/t", "pending"))).isEqualTo("OK");
            Path v1 = tmp.resolve("state_dump");
            Path v2 = tmp.resolve("state_dump.v2");
            XsMessage start = new XsMessage(XsType.CONTROL.code, 77, 0, Payload.nulTerminated("live-update", "-s"));
            host.onStore(() -> {
                Connection lu = host.server().connections().iterator().next();
                LiveUpdateState.dump(v1, 1, host.server(), host.domains(), lu, start, -1, -1, true, java.util.Map.of("access-log", "on"));
                LiveUpdateState.dump(v2, 2, host.server(), host.domains(), lu, start, -1, -1, true, java.util.Map.of("access-log", "on"));
                return null;
            });

            C417Compatibility.Report report = C417Compatibility.check(Files.readAllBytes(v1));
            assertThat(report.compatible()).as("%s", report.violations()).isTrue();

            for (Path dump : new Path[] {v1, v2}) {
                StateModel m = LiveUpdateState.read(dump).model();
                assertThat(m.tree.root().child("local").child("domain").child("4").child("data").child("x").value())
                        .asString().isEqualTo("kept");
                assertThat(m.tree.root().child("local").child("domain").child("4").child("data").child("t"))
                        .as("a transaction's change is not in the tree").isNull();
                assertThat(m.conn(4).watches.keySet()).containsExactly("/local/domain/4/data\0tok",
                        "/local/domain/4/deep\0tokd");
                assertThat(m.conn(4).watches.get("/local/domain/4/deep\0tokd").depth())
                        .as("the depth, in v1 too (a private record)").isEqualTo(1);
                assertThat(m.conn(4).transactions).containsExactly(tx);
                assertThat(m.domains).containsKeys(0, 4);
                assertThat(LiveUpdateState.read(dump).settings()).as("the access log's state")
                        .containsEntry("access-log", "on");
            }
        }
    }

    /**
     * Debian 12's C xenstored names each domain only by its ring connection record (domid, target, the local port
     * it bound) and hands over its event channel device: the successor takes the domains over from exactly that
     * (what Xen must still tell it, the guests' ports, it asks at restore).
     */
    @Test
    void aC417DumpGivesTheDomainsTheirTargetsAndTheInheritedPorts() throws Exception {
        Path dump = tmp.resolve("state_dump");
        try (var in = LiveUpdateStateTest.class.getResourceAsStream("/migration/c417-state-dump.bin")) {
            Files.write(dump, in.readAllBytes());
        }
        LiveUpdateState state = LiveUpdateState.read(dump);
        StateModel m = state.model();
        assertThat(m.domains.keySet()).containsExactly(0, 9, 10);
        assertThat(m.domains.get(10).target()).isEqualTo(9);
        assertThat(m.domains.get(9).target()).isEqualTo(org.jxenstored.store.Caller.NO_TARGET);
        assertThat(m.domains.get(9).remotePort()).isEqualTo((int) org.jxenstored.domain.DomainState.UNKNOWN);
        assertThat(m.domains.get(9).features()).isEqualTo(org.jxenstored.domain.Domains.SUPPORTED_FEATURES);
        assertThat(state.eventChannels().evtchnFd()).isEqualTo(6);
        assertThat(state.eventChannels().localPorts()).containsExactly(java.util.Map.entry(0, 2),
                java.util.Map.entry(9, 3), java.util.Map.entry(10, 4));
        assertThat(state.listeningFd()).isEqualTo(3);
        assertThat(state.socketFds()).containsExactly(8, 9, 10, 11, 12, 13);
    }

    /** What C 4.21+ adds in version 2: its quotas (GLOBAL_QUOTA_DATA), each domain's features and own quotas. */
    @Test
    void aC422StreamGivesQuotasAndFeatures() throws Exception {
        Path dump = tmp.resolve("state_dump");
        org.jxenstored.migration.NodePerm dom0 = new org.jxenstored.migration.NodePerm(
                org.jxenstored.migration.NodePerm.Access.NONE, false, 0);
        try (org.jxenstored.migration.MigrationWriter w = org.jxenstored.migration.MigrationWriter.to(dump,
                org.jxenstored.migration.MigrationWriter.Options.v2())) {
            w.write(new org.jxenstored.migration.GlobalData(3, 6));
            w.write(new org.jxenstored.migration.GlobalQuotaData(List.of(
                    new org.jxenstored.migration.QuotaValue("nodes", 1500)), List.of()));
            w.write(new org.jxenstored.migration.ConnectionData(1, new org.jxenstored.migration.ConnectionData.Ring(0,
                    org.jxenstored.migration.ConnectionData.DOMID_INVALID, 2), new byte[0], new byte[0], 0,
                    java.util.OptionalLong.empty()));
            w.write(new org.jxenstored.migration.ConnectionData(2, new org.jxenstored.migration.ConnectionData.Ring(5,
                    org.jxenstored.migration.ConnectionData.DOMID_INVALID, 7), new byte[0], new byte[0], 0,
                    java.util.OptionalLong.empty()));
            w.write(org.jxenstored.migration.NodeData.committed("/", List.of(dom0), new byte[0]));
            w.write(new org.jxenstored.migration.DomainData(5, 1, List.of(
                    new org.jxenstored.migration.QuotaValue("nodes", 77))));
            w.end();
        }
        LiveUpdateState state = LiveUpdateState.read(dump);
        StateModel m = state.model();
        assertThat(m.domains.get(5).features()).isEqualTo(1);
        assertThat(m.domains.get(0).features()).isEqualTo(org.jxenstored.domain.Domains.SUPPORTED_FEATURES);
        assertThat(m.globalQuotas).containsEntry("nodes", 1500);
        assertThat(m.accounts.get(5)).containsEntry("nodes", 77);
        assertThat(state.eventChannels().localPorts()).containsExactly(java.util.Map.entry(0, 2),
                java.util.Map.entry(5, 7));
    }

    /**
     * A guest that stops reading with its response ring full holds a reply partly in the ring: the hand-over says how
     * many bytes finish it (out-resp-len), as C's reader needs (else 4.17 would take the rest for a header), and a
     * successor that takes the ring over delivers exactly the rest, then the whole replies after it.
     */
    @Test
    void aReplyPartlyInTheRingIsHandedOverWithItsRemainingLength() throws Exception {
        try (SimHost host = SimHost.start(); XsTestClient dom0 = XsTestClient.connect(host.socketPath())) {
            SimGuest guest = host.createGuest(4);
            SimToolstack.boot(dom0, guest);
            assertThat(write(guest, "data/big", "x".repeat(700))).isEqualTo("OK");
            for (int i = 0; i < 3; i++) { // three 716-byte replies for a 1024-byte ring, none read
                guest.send(new XsMessage(XsType.READ.code, 100 + i, 0, Payload.nulTerminated("data/big")));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (guest.page().rspProd() - guest.page().rspCons() < 1024 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(guest.page().rspProd() - guest.page().rspCons()).as("the ring is full").isEqualTo(1024);
            Path dump = tmp.resolve("state_dump");
            XsMessage start = new XsMessage(XsType.CONTROL.code, 77, 0, Payload.nulTerminated("live-update", "-s"));
            host.onStore(() -> {
                Connection lu = host.server().connections().iterator().next();
                LiveUpdateState.dump(dump, 1, host.server(), host.domains(), lu, start, -1, -1, false,
                        java.util.Map.of());
                return null;
            });
            C417Compatibility.Report report = C417Compatibility.check(Files.readAllBytes(dump));
            assertThat(report.compatible()).as("%s", report.violations()).isTrue();
            StateModel m = LiveUpdateState.read(dump).model();
            assertThat(m.conn(4).ring.outPartial()).as("716 - (1024 - 716)").isEqualTo(408);
            assertThat(m.conn(4).ring.outData()).hasSize(408 + 716);
        }
    }
}
