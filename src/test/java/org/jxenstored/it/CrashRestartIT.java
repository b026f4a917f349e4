package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.testing.GuestCalls.ask;
import static org.jxenstored.testing.GuestCalls.takeEvents;
import static org.jxenstored.testing.GuestCalls.write;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.testing.DaemonProcess;
import org.jxenstored.testing.SharedSimHost;
import org.jxenstored.testing.SimToolstack;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SharedSimHypervisor;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crash restart with the real daemon process: SIGKILL at random moments, a new process started on the same state
 * directory, and guests (the shared-directory simulator, in this JVM) that keep their rings across it. Nothing
 * acknowledged is lost; every guest request gets exactly one reply; watches and domains survive.
 */
class CrashRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
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
        return host.startDaemon();
    }

    @Test
    void guestsKeepTheirDataWatchesTransactionsAndRequestsAcrossASigkill() throws Exception {
        SimGuest one = xen.createDomain(1);
        SimGuest two = xen.createDomain(2);
        SimGuest three = xen.createDomain(3);
        DaemonProcess first = startDaemon();
        int tx;
        try (XsTestClient dom0 = XsTestClient.connect(first.socketPath())) {
            SimToolstack.boot(dom0, one);
            SimToolstack.boot(dom0, two);
            SimToolstack.boot(dom0, three);
            assertThat(write(three, "data/gone", "soon")).isEqualTo("OK");
            assertThat(write(one, "data/x", "one")).isEqualTo("OK");
            assertThat(ask(one, XsType.WATCH, "data", "tok")).isEqualTo("OK");
            assertThat(one.awaitEvent(WAIT.toMillis())).isTrue();
            assertThat(takeEvents(one)).containsExactly("data|tok");
            tx = Integer.parseInt(ask(two, XsType.TRANSACTION_START, ""));
            assertThat(ask(two, XsType.WRITE, tx, Payload.nulTerminated("data/t", "in tx"))).isEqualTo("OK");
            assertThat(dom0.write("/tool/k", "acknowledged").value()).isEqualTo("OK");
            assertThat(dom0.request(XsTestClient.SET_QUOTA, XsTestClient.nul("2", "nodes", "77")).value())
                    .isEqualTo("OK");
        }
        first.kill();
        // a domain that dies while no daemon runs: its VIRQ_DOM_EXC is lost; the successor finds it dead
        xen.destroy(3);
        // a request while no daemon runs: its notification is lost, as on Xen; the successor scans the ring
        one.send(new XsMessage(XsType.READ.code, 77, 0, Payload.nulTerminated("data/x")));

        DaemonProcess second = startDaemon();
        List<XsMessage> got = new ArrayList<>();
        for (XsMessage m; (m = one.receive(2000)) != null;) {
            got.add(m);
        }
        assertThat(got).as("the watch fires once after the restart, the waiting request is answered once")
                .extracting(m -> XsType.of(m.type) + " " + m.reqId + " "
                        + new String(m.payload, StandardCharsets.ISO_8859_1).replace('\0', '|'))
                .containsExactlyInAnyOrder("WATCH_EVENT 0 data|tok|", "READ 77 one");
        try (XsTestClient dom0 = XsTestClient.connect(second.socketPath())) {
            assertThat(dom0.read("/tool/k").value()).isEqualTo("acknowledged");
            assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("1")).value())
                    .isEqualTo("T");
            assertThat(dom0.request(XsTestClient.GET_QUOTA, XsTestClient.nul("2", "nodes")).value())
                    .isEqualTo("77");
            assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul("3")).value())
                    .as("the domain that died meanwhile is cleaned up").isEqualTo("F");
            assertThat(dom0.read("/local/domain/3/data/gone").type()).isEqualTo(XsTestClient.ERROR);
            assertThat(dom0.write("/local/domain/1/data/z", "from dom0").value()).isEqualTo("OK");
            assertThat(one.awaitEvent(WAIT.toMillis())).isTrue();
            assertThat(takeEvents(one)).containsExactly("data/z|tok");
            assertThat(write(one, "data/x", "again")).isEqualTo("OK");

            // the transaction open at the crash fails its commit, so the guest retries it
            assertThat(ask(two, XsType.TRANSACTION_END, tx, Payload.nulTerminated("T"))).isEqualTo("ERROR EAGAIN");
            assertThat(ask(two, XsType.READ, "data/t")).isEqualTo("ERROR ENOENT");
            int again = Integer.parseInt(ask(two, XsType.TRANSACTION_START, ""));
            assertThat(again).as("transaction ids are not reused").isNotEqualTo(tx);

            assertThat(dom0.watch("@releaseDomain", "rel").value()).isEqualTo("OK");
            dom0.sync();
            dom0.takeEvents();
            xen.destroy(2);
            assertThat(dom0.receive(WAIT).strings()).startsWith("@releaseDomain", "rel");
        }
        assertThat(second.log()).contains("restored the state kept in").doesNotContain("ERROR");
    }

    /** One guest's synchronous writer: every request must get exactly one reply, its own. */
    private static final class GuestWriter extends Thread {
        final SimGuest guest;
        final AtomicLong acknowledged = new AtomicLong(-1);
        final AtomicBoolean stop = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        private int reqId = 1000;

        GuestWriter(SimGuest guest) {
            super("guest-" + guest.domid());
            this.guest = guest;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                for (long i = 0; !stop.get(); i++) {
                    int id = reqId++;
                    guest.send(new XsMessage(XsType.WRITE.code, id, 0, Payload.nulTerminated("data/n", "" + i)));
                    while (true) {
                        XsMessage m = guest.receive(60_000);
                        if (m == null) {
                            problems.add("no reply to request " + id + " in 60 s");
                            return;
                        }
                        if (m.type == XsType.WATCH_EVENT.code) {
                            continue;
                        }
                        if (m.reqId != id) {
                            problems.add("reply to request " + m.reqId + " while waiting for " + id
                                    + " (a duplicate or lost reply)");
                            return;
                        }
                        String v = new String(m.payload, StandardCharsets.ISO_8859_1);
                        if (!v.equals("OK\0")) {
                            problems.add("request " + id + " answered " + v);
                            return;
                        }
                        acknowledged.set(i);
                        break;
                    }
                }
            } catch (Exception e) {
                problems.add(e.toString());
            }
        }
    }

    @Test
    void fiftyKillsUnderLoadLoseNothingAcknowledged() throws Exception {
        SimGuest one = xen.createDomain(1);
        SimGuest two = xen.createDomain(2);
        DaemonProcess daemon = startDaemon();
        try (XsTestClient dom0 = XsTestClient.connect(daemon.socketPath())) {
            SimToolstack.boot(dom0, one);
            SimToolstack.boot(dom0, two);
        }
        assertThat(ask(one, XsType.WATCH, "data", "tok")).isEqualTo("OK");
        GuestWriter[] guests = {new GuestWriter(one), new GuestWriter(two)};
        for (GuestWriter g : guests) {
            g.start();
        }
        Random random = new Random(42);
        long socketAcked = -1;
        long next = 0;
        for (int kill = 0; kill < 50; kill++) {
            long until = System.nanoTime() + (50 + random.nextInt(250)) * 1_000_000L;
            try (XsTestClient dom0 = XsTestClient.connect(daemon.socketPath())) {
                while (System.nanoTime() < until) {
                    assertThat(dom0.write("/load/k", "" + next).value()).isEqualTo("OK");
                    socketAcked = next++;
                }
            }
            daemon.kill();
            daemon = startDaemon();
            try (XsTestClient dom0 = XsTestClient.connect(daemon.socketPath())) {
                assertThat(Long.parseLong(dom0.read("/load/k").value())).as("after kill %d", kill)
                        .isEqualTo(socketAcked);
                for (GuestWriter g : guests) {
                    long acked = g.acknowledged.get(); // before the read: it only grows
                    long seen = Long.parseLong(dom0.read("/local/domain/" + g.guest.domid() + "/data/n").value());
                    assertThat(seen).as("guest %d after kill %d", g.guest.domid(), kill)
                            .isGreaterThanOrEqualTo(acked);
                    assertThat(g.problems).isEmpty();
                }
            }
        }
        for (GuestWriter g : guests) {
            g.stop.set(true);
            g.join(WAIT.toMillis());
            assertThat(g.problems).isEmpty();
            assertThat(g.acknowledged.get()).as("guest %d kept writing", g.guest.domid()).isGreaterThan(50);
        }
        assertThat(daemon.log()).contains("restored the state kept in");
    }
}
