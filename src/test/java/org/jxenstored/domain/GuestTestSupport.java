package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
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
        return ask(g, type, 0, Payload.nulTerminated(args));
    }

    static String ask(SimGuest g, XsType type, int tx, byte[] payload) throws InterruptedException {
        XsMessage reply = g.request(type, tx, payload);
        assertThat(reply).as("a reply to " + type).isNotNull();
        String text = new String(reply.payload, StandardCharsets.ISO_8859_1);
        if (reply.type == XsType.ERROR.code) {
            return "ERROR " + text.replace("\0", "");
        }
        return text.endsWith("\0") && text.indexOf('\0') == text.length() - 1 ? text.substring(0, text.length() - 1)
                : text;
    }

    static String write(SimGuest g, String path, String value) throws InterruptedException {
        return ask(g, XsType.WRITE, 0, (path + "\0" + value).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The guest's watch events so far as "path|token", then forgotten. */
    static List<String> takeEvents(SimGuest g) {
        List<String> out = g.events().stream()
                .map(m -> new String(m.payload, StandardCharsets.ISO_8859_1))
                .map(s -> s.substring(0, s.length() - 1).replace('\0', '|'))
                .collect(Collectors.toList());
        g.events().clear();
        return out;
    }
}
