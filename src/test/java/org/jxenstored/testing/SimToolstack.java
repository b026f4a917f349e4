package org.jxenstored.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;

/** What Dom0's toolstack does over the daemon's socket when it builds a guest, for simulated guests. */
public final class SimToolstack {
    private SimToolstack() {
    }

    /** Creates the guest's home {@code /local/domain/<domid>}, owned by it, and introduces the guest. */
    public static void boot(XsTestClient dom0, SimGuest guest) {
        String home = "/local/domain/" + guest.domid();
        ok(dom0.write(home, ""));
        ok(dom0.setPerms(home, "n" + guest.domid()));
        ok(introduce(dom0, guest));
    }

    /** XS_INTRODUCE(domid, ring frame, event channel port) as libxl sends it; the reply. */
    public static XsTestClient.Msg introduce(XsTestClient dom0, SimGuest guest) {
        return dom0.request(XsTestClient.INTRODUCE, XsTestClient.nul(Integer.toString(guest.domid()),
                Long.toString(guest.ringFrame()), Integer.toString(guest.port())));
    }

    private static void ok(XsTestClient.Msg m) {
        assertThat(m.text()).as(m.toString()).isEqualTo("OK\0");
    }
}
