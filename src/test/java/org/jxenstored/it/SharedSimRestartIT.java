package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.testing.GuestCalls.ask;
import static org.jxenstored.testing.GuestCalls.takeEvents;
import static org.jxenstored.testing.GuestCalls.write;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.testing.DaemonProcess;
import org.jxenstored.testing.SharedSimHost;
import org.jxenstored.testing.SimToolstack;
import org.jxenstored.transport.ring.RingPage;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.RingLayout;
import org.jxenstored.xen.sim.SharedSimHypervisor;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon as a real child process on the shared-directory simulator, its guests in this JVM: they talk to it over
 * their rings, survive its SIGKILL with their pages and ports, and a freshly started daemon binds their event
 * channels again once Dom0 introduces them anew. The daemon keeps no state here ({@code --state-dir none}):
 * {@link CrashRestartIT} covers the restart that brings everything back.
 */
class SharedSimRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private SharedSimHost host;
    private SharedSimHypervisor xen;

    @BeforeEach
    void setUp() throws Exception {
        host = new SharedSimHost();
        xen = host.xen();
    }

    @AfterEach
    void tearDown() throws Exception {
        host.close();
    }

    private DaemonProcess startDaemon() throws Exception {
        return host.startDaemon("--state-dir", "none");
    }

    @Test
    void guestsOutliveASigkilledDaemonAndItsSuccessorServesThemOnceReintroduced() throws Exception {
        SimGuest one = xen.createDomain(1);
        SimGuest two = xen.createDomain(2);

        DaemonProcess first = startDaemon();
        try (XsTestClient dom0 = XsTestClient.connect(first.socketPath())) {
            SimToolstack.boot(dom0, one);
            SimToolstack.boot(dom0, two);
            assertThat(write(one, "data/x", "one")).isEqualTo("OK");
            assertThat(ask(one, XsType.READ, "data/x")).isEqualTo("one");
            assertThat(write(two, "data/y", "two")).isEqualTo("OK");
            assertThat(ask(two, XsType.READ, "/local/domain/2/data/y")).isEqualTo("two");

            assertThat(ask(one, XsType.WATCH, "data", "tok")).isEqualTo("OK");
            assertThat(one.awaitEvent(WAIT.toMillis())).as("the watch's first event").isTrue();
            assertThat(takeEvents(one)).containsExactly("data|tok");
            assertThat(dom0.write("/local/domain/1/data/z", "from dom0").value()).isEqualTo("OK");
            assertThat(one.awaitEvent(WAIT.toMillis())).as("the event of Dom0's write").isTrue();
            assertThat(takeEvents(one)).containsExactly("data/z|tok");
        }

        first.kill();
        assertThat(first.isAlive()).isFalse();
        assertRingIdleAndConnected(one);
        assertRingIdleAndConnected(two);
        // a request while no daemon runs: its signal is dropped, as Xen drops a send on an unbound port
        one.send(new XsMessage(XsType.READ.code, 77, 0, Payload.nulTerminated("data/x")));

        DaemonProcess second = startDaemon();
        try (XsTestClient dom0 = XsTestClient.connect(second.socketPath())) {
            assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("1")).value())
                    .as("nothing kept: the successor does not know the guest").isEqualTo("F");
            SimToolstack.boot(dom0, one);
            SimToolstack.boot(dom0, two);

            // binding the guest's port again finds it pending (Xen does the same): the waiting request is served
            XsMessage late = one.receive(WAIT.toMillis());
            assertThat(late).as("the reply to the request made while no daemon ran").isNotNull();
            assertThat(late.reqId).isEqualTo(77);
            assertThat(new String(late.payload, StandardCharsets.ISO_8859_1)).isEqualTo("ENOENT\0");

            assertThat(write(one, "data/x", "again")).isEqualTo("OK");
            assertThat(ask(one, XsType.READ, "data/x")).isEqualTo("again");
            assertThat(write(two, "data/y", "again")).isEqualTo("OK");

            // VIRQ_DOM_EXC across processes: the guest's death reaches the new daemon
            assertThat(dom0.watch("@releaseDomain", "rel").value()).isEqualTo("OK");
            dom0.sync();
            dom0.takeEvents();
            xen.destroy(2);
            assertThat(dom0.receive(WAIT).strings()).startsWith("@releaseDomain", "rel");
            assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("2")).value())
                    .isEqualTo("F");
        }
        assertThat(second.log()).contains("simulated Xen shared through " + xen.dir()).doesNotContain("ERROR");
    }

    @Test
    void aSecondDaemonOnTheSameSimulatorIsRefusedWhileTheFirstRuns() throws Exception {
        DaemonProcess first = startDaemon();
        Path other = Files.createDirectory(xen.dir().resolveSibling("other"));
        try {
            DaemonProcess.onSharedSim(other, xen.dir());
            throw new AssertionError("a second daemon started on " + xen.dir());
        } catch (IllegalStateException e) {
            assertThat(e.getMessage()).contains("a process is bound to " + xen.dir().resolve("evtchn-daemon"));
        }
        assertThat(first.isAlive()).isTrue();
    }

    /** Everything the dead daemon took was answered; the page keeps the connection word it set. */
    private static void assertRingIdleAndConnected(SimGuest guest) {
        RingPage page = guest.page();
        assertThat(page.reqCons()).as("requests consumed").isEqualTo(page.reqProd());
        assertThat(page.rspCons()).as("replies read").isEqualTo(page.rspProd());
        assertThat(page.connection()).isEqualTo(RingLayout.CONNECTED);
    }
}
