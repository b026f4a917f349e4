package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jxenstored.protocol.XsType;
import org.jxenstored.testing.GuestCalls;
import org.jxenstored.testing.SimHost;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A simulated host per test: Dom0's toolstack on the socket, guests on their rings. */
abstract class GuestTestSupport {
    SimHost host;
    XsTestClient dom0;

    @BeforeEach
    void startHost() {
        host = startSimHost();
        dom0 = XsTestClient.connect(host.socketPath());
    }

    SimHost startSimHost() {
        return SimHost.start();
    }

    @AfterEach
    void stopHost() {
        if (dom0 != null) {
            dom0.close();
        }
        host.close();
    }

    /** Creates domain {@code domid} with its home {@code /local/domain/<domid>} owned by it, and introduces it. */
    SimGuest bootGuest(int domid) {
        return bootGuest(domid, () -> { });
    }

    /** As {@link #bootGuest(int)}, doing {@code beforeIntroduce} once the domain exists (SET_FEATURE, say). */
    SimGuest bootGuest(int domid, Runnable beforeIntroduce) {
        SimGuest g = host.createGuest(domid);
        beforeIntroduce.run();
        String home = "/local/domain/" + domid;
        ok(dom0.write(home, ""));
        ok(dom0.setPerms(home, "n" + domid));
        ok(dom0.request(XsTestClient.INTRODUCE, XsTestClient.nul(Integer.toString(domid), "0",
                Integer.toString(g.port()))));
        return g;
    }

    static void ok(XsTestClient.Msg m) {
        assertThat(m.text()).as(m.toString()).isEqualTo("OK\0");
    }

    /** A request from the guest; the reply as text, "ERROR <name>" for errors. */
    static String ask(SimGuest g, XsType type, String... args) throws InterruptedException {
        return GuestCalls.ask(g, type, args);
    }

    static String ask(SimGuest g, XsType type, int tx, byte[] payload) throws InterruptedException {
        return GuestCalls.ask(g, type, tx, payload);
    }

    static String write(SimGuest g, String path, String value) throws InterruptedException {
        return GuestCalls.write(g, path, value);
    }

    /** The guest's watch events so far as "path|token", then forgotten. */
    static List<String> takeEvents(SimGuest g) {
        return GuestCalls.takeEvents(g);
    }
}
