package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.testing.GuestCalls.ask;
import static org.jxenstored.testing.GuestCalls.takeEvents;
import static org.jxenstored.testing.GuestCalls.write;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jxenstored.protocol.Payload;
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
 * jxenstored live-updates itself (Debian 12's {@code xenstore-control live-update}, the launcher as the new binary)
 * while guests of the shared-directory simulator, in this JVM, keep talking to it over their rings: the same pid;
 * the guests' data, watches (a Dom0 write after the update fires the guest's watch set before it), a guest's open
 * transaction (its commit fails with EAGAIN, the retry works), a guest's request sent during the update (answered
 * once), the domains introduced with their targets; Dom0's socket connection and its watch; the guests' deaths
 * still announced.
 */
class LiveUpdateSimIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path LAUNCHER = Path.of("scripts/jxenstored").toAbsolutePath();
    private SharedSimHost host;
    private SharedSimHypervisor xen;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTools.requireExecutable(OperationsXenstoreControlIT.XENSTORE_CONTROL, "xen-utils-4.17");
        host = new SharedSimHost();
        xen = host.xen();
    }

    @AfterEach
    void tearDown() throws Exception {
        host.close();
    }

    @Test
    void guestsKeepTheirStateWatchesAndRingsAcrossTheUpdate() throws Exception {
        SimGuest one = xen.createDomain(1);
        SimGuest two = xen.createDomain(2);
        DaemonProcess daemon = host.startDaemon();
        long pid = daemon.pid();
        try (XsTestClient dom0 = XsTestClient.connect(daemon.socketPath())) {
            SimToolstack.boot(dom0, one);
            SimToolstack.boot(dom0, two);
            assertThat(dom0.request(XsTestClient.SET_TARGET, XsTestClient.nul("2", "1")).value()).isEqualTo("OK");
            assertThat(write(one, "data/x", "one")).isEqualTo("OK");
            assertThat(ask(one, XsType.WATCH, "data", "tok")).isEqualTo("OK");
            assertThat(one.awaitEvent(WAIT.toMillis())).isTrue();
            assertThat(takeEvents(one)).containsExactly("data|tok");
            int tx = Integer.parseInt(ask(two, XsType.TRANSACTION_START, ""));
            assertThat(ask(two, XsType.WRITE, tx, Payload.nulTerminated("data/t", "in tx"))).isEqualTo("OK");
            assertThat(dom0.watch("@releaseDomain", "rel").value()).isEqualTo("OK");
            dom0.sync();
            dom0.takeEvents();

            ExternalTools.Running update = ExternalTools.start(daemon.socketPath(), List.of(
                    OperationsXenstoreControlIT.XENSTORE_CONTROL.toString(), "live-update", "-F", "-t", "1",
                    LAUNCHER.toString()));
            // a guest request sent while the update runs: answered once, by whichever daemon serves it
            one.send(new org.jxenstored.protocol.XsMessage(XsType.READ.code, 4242, 0,
                    Payload.nulTerminated("data/x")));
            ExternalTools.Result r = update.await(Duration.ofSeconds(90));
            assertThat(r.exitCode()).as(r.describe() + daemon.log()).isZero();
            assertThat(daemon.isAlive()).isTrue();
            assertThat(daemon.pid()).isEqualTo(pid);
            org.jxenstored.protocol.XsMessage late = one.receive(WAIT.toMillis());
            assertThat(late).as("the reply to the request sent during the update").isNotNull();
            assertThat(late.reqId).isEqualTo(4242);
            assertThat(one.receive(500)).as("answered once").isNull();

            assertThat(ask(one, XsType.READ, "data/x")).isEqualTo("one");
            assertThat(dom0.write("/local/domain/1/data/after", "x").value()).isEqualTo("OK");
            assertThat(one.awaitEvent(WAIT.toMillis())).as("the guest's watch, set before the update").isTrue();
            assertThat(takeEvents(one)).contains("data/after|tok");
            assertThat(ask(two, XsType.TRANSACTION_END, tx, Payload.nulTerminated("T"))).isEqualTo("ERROR EAGAIN");
            assertThat(ask(two, XsType.READ, "data/t")).isEqualTo("ERROR ENOENT");
            int retry = Integer.parseInt(ask(two, XsType.TRANSACTION_START, ""));
            assertThat(ask(two, XsType.WRITE, retry, Payload.nulTerminated("data/t", "again"))).isEqualTo("OK");
            assertThat(ask(two, XsType.TRANSACTION_END, retry, Payload.nulTerminated("T"))).isEqualTo("OK");
            assertThat(ask(two, XsType.READ, "/local/domain/1/data/x")).as("domain 2 still acts for 1 (target)")
                    .isEqualTo("one");
            for (String domid : new String[] {"1", "2"}) {
                assertThat(dom0.request(XsTestClient.IS_DOMAIN_INTRODUCED, XsTestClient.nul(domid)).value())
                        .isEqualTo("T");
            }
            xen.destroy(2);
            assertThat(dom0.receive(WAIT).strings()).as("Dom0's watch, set before the update")
                    .startsWith("@releaseDomain", "rel");
        }
        // Dom0's client and xenstore-control's connection
        assertThat(daemon.log()).contains("live-update: took over 2 socket connections and 2 domains' rings")
                .doesNotContain("ERROR");
    }
}
