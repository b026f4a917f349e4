package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.RingLayout;
import org.jxenstored.xen.sim.SimGuest;

/** Guests served over their rings: identity, relative paths, permissions, big messages, the ring features. */
class RingGuestTest extends GuestTestSupport {
    /** Quotas on node size and memory would stop the 4 KiB messages this class sends; QuotaTest covers them. */
    @Override
    org.jxenstored.testing.SimHost startSimHost() {
        return org.jxenstored.testing.SimHost.start(l -> {
            l.set(QuotaKind.NODE_SIZE, 0);
            l.set(QuotaKind.MEMORY, 0);
        }, new DomainOptions());
    }

    @Test
    void introducedGuestIsServedOverItsRingWithRelativePaths() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(g.page().serverFeatures()).isEqualTo(Domains.SUPPORTED_FEATURES);
        assertThat(g.page().connection()).isEqualTo(RingLayout.CONNECTED);
        assertThat(write(g, "data/x", "hello")).isEqualTo("OK");
        assertThat(ask(g, XsType.READ, "/local/domain/5/data/x")).isEqualTo("hello");
        assertThat(dom0.read("/local/domain/5/data/x").text()).isEqualTo("hello");
        assertThat(dom0.getPerms("/local/domain/5/data/x").text()).as("the guest owns what it creates")
                .isEqualTo("n5\0");
        assertThat(ask(g, XsType.GET_DOMAIN_PATH, "5")).isEqualTo("/local/domain/5");
        assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("5")).text()).isEqualTo("T\0");
    }

    @Test
    void unprivilegedGuestsAreRefusedUntilPermissionsAllow() throws Exception {
        SimGuest g = bootGuest(5);
        ok(dom0.write("/secret", "s"));
        assertThat(ask(g, XsType.READ, "/secret")).isEqualTo("ERROR EACCES");
        assertThat(write(g, "/secret", "mine")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.READ, "/secret/missing")).as("existence does not leak").isEqualTo("ERROR EACCES");
        assertThat(write(g, "/tool/new", "x")).isEqualTo("ERROR EACCES");
        ok(dom0.setPerms("/secret", "n0", "r5"));
        assertThat(ask(g, XsType.READ, "/secret")).isEqualTo("s");
        assertThat(ask(g, XsType.READ, "/secret/missing")).isEqualTo("ERROR ENOENT");
        assertThat(write(g, "/secret", "mine")).as("read-only grant").isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.SET_PERMS, "/secret", "b5")).as("not the owner").isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n0")).isEqualTo("ERROR ENOENT");
        assertThat(write(g, "data", "")).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n0")).as("only privileged callers change owners")
                .isEqualTo("ERROR EPERM");
        assertThat(ask(g, XsType.SET_PERMS, "data", "n5", "r0")).isEqualTo("OK");
        assertThat(ask(g, XsType.IS_DOMAIN_INTRODUCED, "5")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.INTRODUCE, "6", "0", "1")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.CONTROL, "check")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.RM, "/")).isEqualTo("ERROR EACCES");
        assertThat(ask(g, XsType.SET_PERMS, "/", "b5")).isEqualTo("ERROR EACCES");
    }

    @Test
    void domidAnyGrantsEveryDomain() throws Exception {
        SimGuest g = bootGuest(5);
        ok(dom0.write("/shared", "s"));
        ok(dom0.setPerms("/shared", "n0", "r" + 0x7FF5));
        assertThat(ask(g, XsType.READ, "/shared")).isEqualTo("s");
    }

    @Test
    void aDeviceModelActsWithItsTargetsRights() throws Exception {
        SimGuest guest = bootGuest(9);
        SimGuest dm = bootGuest(8);
        ok(dom0.write("/local/domain/9/device-model", "state"));
        assertThat(ask(dm, XsType.READ, "/local/domain/9/device-model")).isEqualTo("ERROR EACCES");
        ok(dom0.request(XsTestClient.SET_TARGET, XsTestClient.nul("8", "9")));
        assertThat(ask(dm, XsType.READ, "/local/domain/9/device-model")).isEqualTo("state");
        assertThat(write(dm, "/local/domain/9/device-model", "running")).isEqualTo("OK");
        assertThat(ask(guest, XsType.READ, "/local/domain/9/device-model")).isEqualTo("running");
        assertThat(dom0.request(XsTestClient.SET_TARGET, XsTestClient.nul("8", "77")).text()).isEqualTo("ENOENT\0");
    }

    @Test
    void maximumSizeMessagesCrossTheRingWrapInBothDirections() throws Exception {
        SimGuest g = bootGuest(5);
        for (int i = 0; i < 5; i++) {
            String value = Character.toString('a' + i).repeat(4096 - "big\0".length());
            assertThat(write(g, "big", value)).isEqualTo("OK");
            assertThat(ask(g, XsType.READ, "big")).isEqualTo(value);
        }
    }

    @Test
    void dom0sOwnRingIsServedAndPrivileged() throws Exception {
        SimGuest kernel = host.dom0Kernel();
        assertThat(kernel.page().connection()).isEqualTo(RingLayout.CONNECTED);
        assertThat(kernel.page().serverFeatures()).isEqualTo(Domains.SUPPORTED_FEATURES);
        assertThat(write(kernel, "/backend/vif/5/0/state", "1")).isEqualTo("OK");
        assertThat(ask(kernel, XsType.READ, "/tool")).as("privileged: reads Dom0-only nodes").isEqualTo("");
        assertThat(ask(kernel, XsType.IS_DOMAIN_INTRODUCED, "0")).isEqualTo("T");
        assertThat(dom0.read("/backend/vif/5/0/state").text()).isEqualTo("1");
    }
}
