package org.jxenstored.xen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.transport.FrameParser;
import org.jxenstored.transport.ring.RingPage;
import org.jxenstored.xen.XenPlatform;
import org.jxenstored.xen.XenPlatform.DomainInfo;
import org.jxenstored.xen.XenPlatform.EventChannels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared-directory simulator with both sides in one JVM: the daemon's {@link SharedSimPlatform} (two instances
 * stand for a daemon process and its successor) and the guests' {@link SharedSimHypervisor}.
 */
class SharedSimPlatformTest {
    private static final long WAIT = 5;
    private Path dir;
    private SharedSimHypervisor hypervisor;
    private final LinkedBlockingQueue<Integer> firstPorts = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Integer> secondPorts = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxss");
        hypervisor = new SharedSimHypervisor(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        hypervisor.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Integer next(LinkedBlockingQueue<Integer> ports) throws InterruptedException {
        return ports.poll(WAIT, TimeUnit.SECONDS);
    }

    /** Nothing arrives for a while (a dropped notification). */
    private static Integer quiet(LinkedBlockingQueue<Integer> ports) throws InterruptedException {
        return ports.poll(300, TimeUnit.MILLISECONDS);
    }

    @Test
    void theDaemonReadsTheDomainTableAndSharesTheGuestsPage() throws Exception {
        SimGuest guest = hypervisor.createDomain(3);
        try (SharedSimPlatform platform = new SharedSimPlatform(dir)) {
            assertThat(platform.listDomains()).containsExactly(new DomainInfo(3, false, false, 0));
            assertThat(platform.domainInfo(4)).isEmpty();
            assertThatThrownBy(() -> platform.mapRing(4, 0)).isInstanceOf(IOException.class);

            RingPage daemonView = new RingPage(platform.mapRing(3, guest.ringFrame()).page());
            guest.page().setReqProd(42);
            assertThat(daemonView.reqProd()).isEqualTo(42);
            daemonView.setRspProd(7);
            assertThat(guest.page().rspProd()).isEqualTo(7);
        }
    }

    @Test
    void aBoundPortStartsPendingAndCarriesSignalsBothWays() throws Exception {
        SimGuest guest = hypervisor.createDomain(3);
        try (SharedSimPlatform platform = new SharedSimPlatform(dir)) {
            EventChannels channels = platform.openEventChannels(Runnable::run, firstPorts::add);
            int local = channels.bindInterdomain(3, guest.port());
            assertThat(next(firstPorts)).as("pending at bind: signals may have been lost before").isEqualTo(local);

            guest.notifyDaemon();
            assertThat(next(firstPorts)).isEqualTo(local);

            // the daemon answers in the response ring and signals: the waiting guest wakes and reads it
            CompletableFuture<XsMessage> received = CompletableFuture.supplyAsync(() -> receive(guest));
            Thread.sleep(100);
            RingPage daemonView = new RingPage(platform.mapRing(3, guest.ringFrame()).page());
            byte[] reply = frame(new XsMessage(XsType.WRITE.code, 1, 0, "OK\0".getBytes()));
            daemonView.writeResponse(0, reply, 0, reply.length);
            daemonView.setRspProd(reply.length);
            channels.notify(local);
            XsMessage m = received.get(WAIT, TimeUnit.SECONDS);
            assertThat(m).as("the guest was signalled").isNotNull();
            assertThat(m.reqId).isEqualTo(1);
        }
    }

    @Test
    void aPortIsBoundOnceAndOnlyTheGuestsOwn() throws Exception {
        SimGuest guest = hypervisor.createDomain(3);
        try (SharedSimPlatform platform = new SharedSimPlatform(dir)) {
            EventChannels channels = platform.openEventChannels(Runnable::run, firstPorts::add);
            assertThatThrownBy(() -> channels.bindInterdomain(3, guest.port() + 1)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> channels.bindInterdomain(5, guest.port())).isInstanceOf(IOException.class);
            int local = channels.bindInterdomain(3, guest.port());
            assertThatThrownBy(() -> channels.bindInterdomain(3, guest.port())).isInstanceOf(IOException.class)
                    .hasMessageContaining("bound already");
            channels.unbind(local);
            assertThat(channels.bindInterdomain(3, guest.port())).isNotEqualTo(local);
        }
    }

    @Test
    void aSuccessorBindsAgainOnceThePredecessorIsGoneAndGetsTheGuestsSignals() throws Exception {
        SimGuest guest = hypervisor.createDomain(3);
        SharedSimPlatform first = new SharedSimPlatform(dir);
        EventChannels firstChannels = first.openEventChannels(Runnable::run, firstPorts::add);
        firstChannels.bindInterdomain(3, guest.port());
        next(firstPorts);
        try (SharedSimPlatform second = new SharedSimPlatform(dir)) {
            assertThatThrownBy(() -> second.openEventChannels(Runnable::run, secondPorts::add))
                    .as("one daemon at a time").isInstanceOf(IOException.class);

            first.close(); // the daemon dies: its bindings with it
            guest.notifyDaemon(); // nobody bound: dropped
            EventChannels channels = second.openEventChannels(Runnable::run, secondPorts::add);
            guest.notifyDaemon(); // bound to the socket, not to the port yet: dropped too
            assertThat(quiet(secondPorts)).isNull();

            int local = channels.bindInterdomain(3, guest.port());
            assertThat(next(secondPorts)).as("pending at bind").isEqualTo(local);
            guest.notifyDaemon();
            assertThat(next(secondPorts)).isEqualTo(local);
            assertThat(firstPorts).isEmpty();
        }
    }

    @Test
    void aDeadDaemonsSocketFileIsReplaced() throws Exception {
        Files.writeString(new SharedSimDir(dir).daemonSocket(), "left behind by a SIGKILL");
        try (SharedSimPlatform platform = new SharedSimPlatform(dir)) {
            EventChannels channels = platform.openEventChannels(Runnable::run, firstPorts::add);
            int virq = channels.bindVirq(XenPlatform.VIRQ_DOM_EXC);
            assertThat(hypervisor.raiseDomExc()).isTrue();
            assertThat(next(firstPorts)).isEqualTo(virq);
        }
    }

    @Test
    void domainStateChangesRaiseTheVirqAndTheTableTellsWhatHappened() throws Exception {
        hypervisor.createDomain(3);
        assertThat(hypervisor.raiseDomExc()).as("no daemon: dropped").isFalse();
        try (SharedSimPlatform platform = new SharedSimPlatform(dir)) {
            EventChannels channels = platform.openEventChannels(Runnable::run, firstPorts::add);
            int virq = channels.bindVirq(XenPlatform.VIRQ_DOM_EXC);

            hypervisor.shutdown(3, 3);
            assertThat(next(firstPorts)).isEqualTo(virq);
            assertThat(platform.domainInfo(3)).contains(new DomainInfo(3, false, true, 3));

            hypervisor.markDying(3);
            assertThat(next(firstPorts)).isEqualTo(virq);
            assertThat(platform.domainInfo(3)).contains(new DomainInfo(3, true, true, 3));

            hypervisor.destroy(3);
            assertThat(next(firstPorts)).isEqualTo(virq);
            assertThat(platform.domainInfo(3)).isEmpty();
            assertThat(platform.listDomains()).isEmpty();
        }
    }

    private static byte[] frame(XsMessage m) {
        ByteBuf b = Unpooled.buffer();
        FrameParser.write(m, b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    private static XsMessage receive(SimGuest guest) {
        try {
            return guest.receive(TimeUnit.SECONDS.toMillis(WAIT));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
