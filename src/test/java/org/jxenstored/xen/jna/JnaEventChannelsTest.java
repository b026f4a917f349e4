package org.jxenstored.xen.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jxenstored.xen.XenPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery thread and the handle life cycle of {@link JnaEventChannels}, with a stand-in libxenevtchn whose
 * "device" is a pipe: the test writes port numbers into it as the kernel would report pending ports.
 */
class JnaEventChannelsTest {
    private static final long WAIT_SECONDS = 10;

    private LibC libc;
    private FakeEvtchn fake;
    private ExecutorService storeThread;
    private final List<JnaEventChannels> opened = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        libc = XenLibraries.loadLibC(XenLibraries.Names.DEFAULT);
        fake = new FakeEvtchn(libc);
        storeThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-store"));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        opened.forEach(JnaEventChannels::close);
        storeThread.shutdownNow();
        storeThread.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
        fake.closePipe();
    }

    private JnaEventChannels open(java.util.concurrent.Executor executor, java.util.function.IntConsumer handler,
            Runnable onClosed) throws IOException {
        JnaEventChannels channels = JnaEventChannels.open(fake, libc, executor, handler, onClosed);
        opened.add(channels);
        return channels;
    }

    @Test
    void theRealLibraryFailsCleanlyWithoutTheDevice() throws IOException {
        InstalledLibraries.require();
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(java.nio.file.Path.of(
                "/dev/xen/evtchn")), "this machine has an event channel device");
        XenLibraries libs = XenLibraries.load(XenLibraries.Names.DEFAULT);
        assertThatThrownBy(() -> JnaEventChannels.open(libs.evtchn(), libs.libc(), Runnable::run, port -> { }, null))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("xenevtchn_open failed: ")
                .hasMessageContaining("errno");
    }

    @Test
    void pendingPortsRunTheHandlerOnTheStoreThreadAndAreUnmaskedAfterIt() throws Exception {
        CountDownLatch handled = new CountDownLatch(2);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        open(storeThread, port -> {
            // the port is still masked while its handler runs
            seen.add(port + "@" + Thread.currentThread().getName() + " unmasked-before=" + fake.unmasked.contains(port));
            handled.countDown();
        }, null);
        fake.raise(7);
        fake.raise(9);
        assertThat(handled.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        fake.awaitUnmasked(2);
        assertThat(seen).containsExactly("7@test-store unmasked-before=false", "9@test-store unmasked-before=false");
        assertThat(fake.unmasked).containsExactly(7, 9);
    }

    @Test
    void aHandoverPauseStopsDeliveryUnmasksEveryPortAndKeepsTheHandle() throws Exception {
        List<Integer> handled = Collections.synchronizedList(new ArrayList<>());
        JnaEventChannels channels = open(storeThread, handled::add, null);
        channels.pauseForHandover(new int[] {5, 6});
        assertThat(channels.deliveryThreadAlive()).isFalse();
        assertThat(fake.unmasked).containsExactly(5, 6);
        assertThat(fake.closes.get()).isZero();
        fake.raise(8); // sent meanwhile: waits in the device
        Thread.sleep(50);
        assertThat(handled).isEmpty();
        channels.resumeAfterHandover(); // the update did not happen
        fake.awaitUnmasked(3);
        assertThat(handled).containsExactly(8);
        assertThat(channels.deliveryThreadAlive()).isTrue();
        assertThat(channels.fd()).isEqualTo(fake.xenevtchn_fd(null));
    }

    @Test
    void whetherTheLibraryCanTakeADeviceOverIsLookedUp() throws IOException {
        InstalledLibraries.require();
        XenLibraries libs = XenLibraries.load(XenLibraries.Names.DEFAULT);
        assertThat(JnaEventChannels.canAdopt(libs.evtchn())).as("Debian 12's libxenevtchn.so.1").isTrue();
        XenEvtchnLib without = com.sun.jna.Native.load("libxengnttab.so.1", XenEvtchnLib.class); // no fdopen there
        assertThat(JnaEventChannels.canAdopt(without)).isFalse();
        assertThat(JnaEventChannels.canAdopt(fake)).isTrue();
    }

    @Test
    void adoptionWrapsTheInheritedDescriptor() throws Exception {
        CountDownLatch handled = new CountDownLatch(1);
        JnaEventChannels channels = JnaEventChannels.adopt(fake, libc, 42, storeThread, p -> handled.countDown(),
                null);
        opened.add(channels);
        assertThat(fake.fdopened).containsExactly(42);
        fake.raise(3);
        assertThat(handled.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        fake.openErrno = 9;
        assertThatThrownBy(() -> JnaEventChannels.adopt(fake, libc, 43, storeThread, p -> { }, null))
                .isInstanceOf(IOException.class).hasMessageStartingWith("xenevtchn_fdopen(43) failed");
    }

    @Test
    void aFailingHandlerStillUnmasksItsPortAndDeliveryGoesOn() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        open(storeThread, port -> {
            if (port == 1) {
                throw new IllegalStateException("handler bug");
            }
            second.countDown();
        }, null);
        fake.raise(1);
        fake.raise(2);
        assertThat(second.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        fake.awaitUnmasked(2);
        assertThat(fake.unmasked).containsExactly(1, 2);
    }

    @Test
    void aRejectingExecutorLeavesThePortUnmasked() throws Exception {
        open(task -> {
            throw new RejectedExecutionException("shutting down");
        }, port -> { }, null);
        fake.raise(4);
        fake.awaitUnmasked(1);
        assertThat(fake.unmasked).containsExactly(4);
    }

    @Test
    void closeStopsTheDeliveryThreadPromptlyAndReleasesTheHandle() throws Exception {
        AtomicInteger onClosed = new AtomicInteger();
        JnaEventChannels channels = open(storeThread, port -> { }, onClosed::incrementAndGet);
        assertThat(channels.deliveryThreadAlive()).isTrue();
        long start = System.nanoTime();
        channels.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
        assertThat(channels.deliveryThreadAlive()).isFalse();
        assertThat(fake.closes).hasValue(1);
        assertThat(onClosed).hasValue(1);
        channels.close();
        assertThat(fake.closes).hasValue(1);
        assertThat(onClosed).hasValue(1);
        assertThat(threadsNamed(JnaEventChannels.THREAD_NAME)).isZero();
    }

    @Test
    void afterCloseBindsFailAndNotifyUnbindAreIgnored() throws Exception {
        JnaEventChannels channels = open(storeThread, port -> { }, null);
        channels.close();
        assertThatThrownBy(() -> channels.bindVirq(XenPlatform.VIRQ_DOM_EXC)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> channels.bindInterdomain(1, 2)).isInstanceOf(IOException.class);
        channels.notify(5);
        channels.unbind(5);
        assertThat(fake.notified).isEmpty();
        assertThat(fake.unbound).isEmpty();
    }

    @Test
    void closeFromTheHandlerOnADirectExecutorDoesNotDeadlock() throws Exception {
        AtomicReference<JnaEventChannels> self = new AtomicReference<>();
        CountDownLatch closedCallback = new CountDownLatch(1);
        JnaEventChannels channels = open(Runnable::run, port -> self.get().close(), closedCallback::countDown);
        self.set(channels);
        fake.raise(3);
        assertThat(closedCallback.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        awaitThreadStopped(channels);
        assertThat(fake.closes).hasValue(1);
    }

    @Test
    void operationsReachTheLibraryWithTheirArguments() throws Exception {
        JnaEventChannels channels = open(storeThread, port -> { }, null);
        assertThat(channels.bindInterdomain(5, 12)).isEqualTo(100);
        assertThat(channels.bindVirq(XenPlatform.VIRQ_DOM_EXC)).isEqualTo(200 + XenPlatform.VIRQ_DOM_EXC);
        channels.notify(100);
        channels.unbind(100);
        assertThat(fake.interdomain).containsExactly(List.of(5, 12));
        assertThat(fake.notified).containsExactly(100);
        assertThat(fake.unbound).containsExactly(100);
    }

    @Test
    void bindFailuresAreIOExceptionsNamingTheCallAndErrno() throws Exception {
        JnaEventChannels channels = open(storeThread, port -> { }, null);
        fake.failWithErrno = 22;
        assertThatThrownBy(() -> channels.bindInterdomain(5, 12))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("xenevtchn_bind_interdomain(domid 5, port 12) failed: ")
                .hasMessageContaining("EINVAL, errno 22");
        assertThatThrownBy(() -> channels.bindVirq(3))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("xenevtchn_bind_virq(3) failed: ");
    }

    @Test
    void aDeviceErrorStopsDeliveryButCloseStillReleases() throws Exception {
        JnaEventChannels channels = open(storeThread, port -> { }, null);
        fake.closeWriteEnd(); // the "device" hangs up: POLLHUP
        awaitThreadStopped(channels);
        assertThat(fake.closes).as("the handle stays until close()").hasValue(0);
        channels.close();
        assertThat(fake.closes).hasValue(1);
    }

    @Test
    void openFailureReportsErrno() {
        fake.openErrno = 2;
        assertThatThrownBy(() -> JnaEventChannels.open(fake, libc, storeThread, port -> { }, null))
                .isInstanceOf(IOException.class)
                .hasMessage("xenevtchn_open failed: No such file or directory (ENOENT, errno 2)");
    }

    private static void awaitThreadStopped(JnaEventChannels channels) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (channels.deliveryThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(channels.deliveryThreadAlive()).isFalse();
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .count();
    }

    /** libxenevtchn over a pipe: {@link #raise} writes a port, {@code xenevtchn_pending} reads it back. */
    static final class FakeEvtchn implements XenEvtchnLib {
        private final LibC libc;
        private final int readFd;
        private volatile int writeFd;
        final List<Integer> unmasked = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> notified = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> unbound = Collections.synchronizedList(new ArrayList<>());
        final List<List<Integer>> interdomain = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger closes = new AtomicInteger();
        volatile int failWithErrno;
        volatile int openErrno;

        FakeEvtchn(LibC libc) throws IOException {
            this.libc = libc;
            int[] fds = new int[2];
            if (libc.pipe2(fds, LibC.O_CLOEXEC) != 0) {
                throw Errno.lastFailure("pipe2");
            }
            readFd = fds[0];
            writeFd = fds[1];
        }

        void raise(int port) {
            Memory m = new Memory(4);
            m.setInt(0, port);
            assertThat(libc.write(writeFd, m, 4)).isEqualTo(4);
        }

        void awaitUnmasked(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (unmasked.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(unmasked).hasSizeGreaterThanOrEqualTo(count);
        }

        void closeWriteEnd() {
            if (writeFd >= 0) {
                libc.close(writeFd);
                writeFd = -1;
            }
        }

        void closePipe() {
            closeWriteEnd();
            libc.close(readFd);
        }

        private int fail() {
            Native.setLastError(failWithErrno);
            return -1;
        }

        @Override
        public Pointer xenevtchn_open(Pointer logger, int openFlags) {
            if (openErrno != 0) {
                Native.setLastError(openErrno);
                return null;
            }
            return FakeXenLibs.handle();
        }

        final List<Integer> fdopened = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Pointer xenevtchn_fdopen(Pointer logger, int fd, int openFlags) {
            if (openErrno != 0) {
                Native.setLastError(openErrno);
                return null;
            }
            fdopened.add(fd);
            return FakeXenLibs.handle();
        }

        @Override
        public int xenevtchn_close(Pointer xce) {
            closes.incrementAndGet();
            return 0;
        }

        @Override
        public int xenevtchn_fd(Pointer xce) {
            return readFd;
        }

        @Override
        public int xenevtchn_notify(Pointer xce, int port) {
            notified.add(port);
            return 0;
        }

        @Override
        public int xenevtchn_bind_interdomain(Pointer xce, int domid, int remotePort) {
            if (failWithErrno != 0) {
                return fail();
            }
            interdomain.add(List.of(domid, remotePort));
            return 100;
        }

        @Override
        public int xenevtchn_bind_virq(Pointer xce, int virq) {
            return failWithErrno != 0 ? fail() : 200 + virq;
        }

        @Override
        public int xenevtchn_unbind(Pointer xce, int port) {
            unbound.add(port);
            return 0;
        }

        @Override
        public int xenevtchn_pending(Pointer xce) {
            Memory m = new Memory(4);
            long n = libc.read(readFd, m, 4);
            return n == 4 ? m.getInt(0) : -1;
        }

        @Override
        public int xenevtchn_unmask(Pointer xce, int port) {
            unmasked.add(port);
            return 0;
        }
    }
}
