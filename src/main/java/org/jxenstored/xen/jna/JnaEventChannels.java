package org.jxenstored.xen.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.jxenstored.xen.XenPlatform.EventChannels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event channels through libxenevtchn. A daemon thread ({@code xenstored-evtchn}) waits for the device to become
 * readable, reads the pending port with {@code xenevtchn_pending}, and hands it to the store thread, where the
 * handler runs and the port is unmasked afterwards (the kernel masks a port when it reports it, so a port is never
 * queued twice).
 *
 * <p>The thread waits in {@code poll()} on the event channel fd and on a pipe rather than directly in the blocking
 * {@code read()} of {@code xenevtchn_pending}: a thread blocked in {@code read()} cannot be woken without an event,
 * the pipe lets {@link #close()} stop it at once. Once poll reports the device readable, {@code xenevtchn_pending}
 * does not block.
 *
 * <p>Native handles are released by whichever of {@link #close()} and the exit of the delivery thread comes last,
 * so that no call can use a freed handle; calls after close fail ({@link #bindInterdomain}, {@link #bindVirq}) or are
 * ignored ({@link #notify}, {@link #unbind}, unmask).
 */
final class JnaEventChannels implements EventChannels {
    private static final Logger LOG = LoggerFactory.getLogger(JnaEventChannels.class);
    static final String THREAD_NAME = "xenstored-evtchn";
    private static final long JOIN_MILLIS = 5_000;
    private static final long RETRY_MILLIS = 100;

    private final XenEvtchnLib lib;
    private final LibC libc;
    private final Pointer xce;
    private final int deviceFd;
    private final int wakeRead;
    private final int wakeWrite;
    private final Executor storeThread;
    private final IntConsumer onPending;
    private final Runnable onClosed;
    private Thread thread;

    private final Object lock = new Object();
    /** Set once by close(); read by the delivery loop. */
    private volatile boolean closeRequested;
    /** Set while a live update hands the device over: the delivery loop ends, the handle stays. */
    private volatile boolean pauseRequested;
    private boolean threadExited;
    private boolean released;

    private JnaEventChannels(XenEvtchnLib lib, LibC libc, Pointer xce, int deviceFd, int[] wakePipe,
            Executor storeThread, IntConsumer onPending, Runnable onClosed) {
        this.lib = lib;
        this.libc = libc;
        this.xce = xce;
        this.deviceFd = deviceFd;
        this.wakeRead = wakePipe[0];
        this.wakeWrite = wakePipe[1];
        this.storeThread = storeThread;
        this.onPending = onPending;
        this.onClosed = onClosed;
        this.thread = newDeliveryThread();
    }

    private Thread newDeliveryThread() {
        Thread t = new Thread(this::deliveryLoop, THREAD_NAME);
        t.setDaemon(true);
        return t;
    }

    /**
     * Opens the event channel device and starts the delivery thread.
     *
     * @param onClosed run once when the channels are closed (the platform stops tracking them)
     */
    static JnaEventChannels open(XenEvtchnLib lib, LibC libc, Executor storeThread, IntConsumer onPending,
            Runnable onClosed) throws IOException {
        Pointer xce = lib.xenevtchn_open(null, 0);
        if (xce == null) {
            throw Errno.lastFailure("xenevtchn_open");
        }
        return start(lib, libc, xce, storeThread, onPending, onClosed);
    }

    /**
     * Takes over the device a live-update predecessor left open at {@code fd} ({@code xenevtchn_fdopen}): its
     * bindings stay, and the descriptor becomes close-on-exec again (libxenevtchn opens it so).
     */
    static JnaEventChannels adopt(XenEvtchnLib lib, LibC libc, int fd, Executor storeThread, IntConsumer onPending,
            Runnable onClosed) throws IOException {
        Pointer xce;
        try {
            xce = lib.xenevtchn_fdopen(null, fd, 0);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("this libxenevtchn has no xenevtchn_fdopen: the inherited event channel device "
                    + "cannot be taken over", e);
        }
        if (xce == null) {
            throw Errno.lastFailure("xenevtchn_fdopen(" + fd + ")");
        }
        return start(lib, libc, xce, storeThread, onPending, onClosed);
    }

    private static JnaEventChannels start(XenEvtchnLib lib, LibC libc, Pointer xce, Executor storeThread,
            IntConsumer onPending, Runnable onClosed) throws IOException {
        int fd = lib.xenevtchn_fd(xce);
        if (fd < 0) {
            IOException e = Errno.lastFailure("xenevtchn_fd");
            lib.xenevtchn_close(xce);
            throw e;
        }
        int[] pipe = new int[2];
        if (libc.pipe2(pipe, LibC.O_CLOEXEC | LibC.O_NONBLOCK) != 0) {
            IOException e = Errno.lastFailure("pipe2");
            lib.xenevtchn_close(xce);
            throw e;
        }
        JnaEventChannels channels =
                new JnaEventChannels(lib, libc, xce, fd, pipe, storeThread, onPending, onClosed);
        channels.thread.start();
        return channels;
    }

    /** The device, for a live update's successor; -1 where the library cannot take one over (no fdopen). */
    @Override
    public int fd() {
        return canAdopt(lib) ? deviceFd : -1;
    }

    /** Whether {@code lib} has {@code xenevtchn_fdopen} (an older libxenevtchn lacks it; fakes have it). */
    static boolean canAdopt(XenEvtchnLib lib) {
        if (!java.lang.reflect.Proxy.isProxyClass(lib.getClass())
                || !(java.lang.reflect.Proxy.getInvocationHandler(lib) instanceof com.sun.jna.Library.Handler h)) {
            return true;
        }
        try {
            h.getNativeLibrary().getFunction("xenevtchn_fdopen");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /**
     * Ends the delivery thread (events queue in the device meanwhile) and unmasks {@code ports}: a port the thread
     * had read but whose handler has not run stays masked otherwise, deaf in the successor.
     */
    @Override
    public void pauseForHandover(int[] ports) {
        synchronized (lock) {
            if (closeRequested || pauseRequested) {
                return;
            }
            pauseRequested = true;
            wake();
        }
        joinThread();
        for (int port : ports) {
            unmaskNow(port);
        }
    }

    @Override
    public void resumeAfterHandover() {
        synchronized (lock) {
            if (closeRequested || !pauseRequested) {
                return;
            }
            Memory drain = new Memory(16);
            while (libc.read(wakeRead, drain, 16) > 0) {
                // the wake-up byte of the pause
            }
            pauseRequested = false;
            threadExited = false;
            thread = newDeliveryThread();
            thread.start();
        }
    }

    @Override
    public int bindInterdomain(int domid, int remotePort) throws IOException {
        synchronized (lock) {
            ensureOpen();
            int port = lib.xenevtchn_bind_interdomain(xce, domid, remotePort);
            if (port < 0) {
                throw Errno.lastFailure("xenevtchn_bind_interdomain(domid " + domid + ", port " + remotePort + ")");
            }
            return port;
        }
    }

    @Override
    public int bindVirq(int virq) throws IOException {
        synchronized (lock) {
            ensureOpen();
            int port = lib.xenevtchn_bind_virq(xce, virq);
            if (port < 0) {
                throw Errno.lastFailure("xenevtchn_bind_virq(" + virq + ")");
            }
            return port;
        }
    }

    @Override
    public void unbind(int localPort) {
        synchronized (lock) {
            if (closeRequested) {
                return;
            }
            if (lib.xenevtchn_unbind(xce, localPort) < 0) {
                LOG.warn("xenevtchn_unbind({}) failed: {}", localPort, Errno.describe(Errno.last()));
            }
        }
    }

    @Override
    public void notify(int localPort) {
        synchronized (lock) {
            if (closeRequested) {
                return;
            }
            if (lib.xenevtchn_notify(xce, localPort) < 0) {
                LOG.warn("xenevtchn_notify({}) failed: {}", localPort, Errno.describe(Errno.last()));
            }
        }
    }

    /**
     * Unmasks {@code port} after its handler ran; a port unbound meanwhile fails harmlessly. While a hand-over is
     * pending it is left to {@link #pauseForHandover}, which unmasks every port once.
     */
    private void unmask(int port) {
        synchronized (lock) {
            if (!pauseRequested) {
                unmaskNow(port);
            }
        }
    }

    private void unmaskNow(int port) {
        synchronized (lock) {
            if (closeRequested) {
                return;
            }
            if (lib.xenevtchn_unmask(xce, port) < 0) {
                LOG.debug("xenevtchn_unmask({}) failed: {}", port, Errno.describe(Errno.last()));
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (closeRequested) {
            throw new IOException("event channels are closed");
        }
    }

    /** Whether the delivery thread is still running (for tests). */
    boolean deliveryThreadAlive() {
        return thread.isAlive();
    }

    private void deliveryLoop() {
        Memory fds = new Memory(2L * LibC.POLLFD_SIZE);
        fds.setInt(0, deviceFd);
        fds.setShort(LibC.POLLFD_EVENTS, LibC.POLLIN);
        fds.setInt(LibC.POLLFD_SIZE, wakeRead);
        fds.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_EVENTS, LibC.POLLIN);
        try {
            while (!closeRequested && !pauseRequested) {
                fds.setShort(LibC.POLLFD_REVENTS, (short) 0);
                fds.setShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS, (short) 0);
                int n = libc.poll(fds, 2, -1);
                if (n < 0) {
                    int errno = Errno.last();
                    if (errno != LibC.EINTR) {
                        LOG.error("poll on the event channel device failed: {}", Errno.describe(errno));
                        if (!pause()) {
                            break;
                        }
                    }
                    continue;
                }
                if (closeRequested || pauseRequested || fds.getShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS) != 0) {
                    break;
                }
                short revents = fds.getShort(LibC.POLLFD_REVENTS);
                if ((revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
                    LOG.error("the event channel device reported poll events 0x{}; event delivery stops",
                            Integer.toHexString(revents & 0xFFFF));
                    break;
                }
                if ((revents & LibC.POLLIN) != 0) {
                    int port = lib.xenevtchn_pending(xce);
                    if (port < 0) {
                        int errno = Errno.last();
                        if (errno != LibC.EAGAIN && errno != LibC.EINTR) {
                            LOG.error("xenevtchn_pending failed: {}", Errno.describe(errno));
                            if (!pause()) {
                                break;
                            }
                        }
                        continue;
                    }
                    deliver(port);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("event channel delivery thread failed; event delivery stops", e);
        } finally {
            synchronized (lock) {
                threadExited = true;
                if (closeRequested) {
                    release();
                }
            }
        }
    }

    private void deliver(int port) {
        try {
            storeThread.execute(() -> {
                try {
                    onPending.accept(port);
                } catch (RuntimeException e) {
                    LOG.error("event channel handler failed for port {}", port, e);
                } finally {
                    unmask(port);
                }
            });
        } catch (RejectedExecutionException e) {
            if (!closeRequested) {
                LOG.warn("store thread rejected the event of port {}; unmasking it unhandled", port);
                unmask(port);
            }
        }
    }

    /** Waits a little before retrying after an error; false when interrupted (the loop then ends). */
    private static boolean pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Makes the delivery thread's poll return. Under {@link #lock}. */
    private void wake() {
        Memory one = new Memory(1);
        one.setByte(0, (byte) 1);
        if (libc.write(wakeWrite, one, 1) != 1) {
            LOG.warn("waking the event channel thread failed: {}", Errno.describe(Errno.last()));
        }
    }

    private void joinThread() {
        Thread t;
        synchronized (lock) {
            t = thread;
        }
        if (Thread.currentThread() == t) {
            return;
        }
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.error("the event channel thread did not stop within {} ms", JOIN_MILLIS);
        }
    }

    /** Frees the native handle and the pipe; under {@link #lock}, once the delivery thread is gone. */
    private void release() {
        if (released) {
            return;
        }
        released = true;
        if (lib.xenevtchn_close(xce) < 0) {
            LOG.warn("xenevtchn_close failed: {}", Errno.describe(Errno.last()));
        }
        libc.close(wakeRead);
        libc.close(wakeWrite);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closeRequested) {
                return;
            }
            closeRequested = true;
            if (threadExited) {
                release();
            } else {
                wake();
            }
        }
        joinThread();
        if (onClosed != null) {
            onClosed.run();
        }
    }
}
