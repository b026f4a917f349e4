package org.jxenstored.xen.sim;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.jxenstored.xen.XenPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's event channels in the shared-directory simulator: its socket {@code evtchn-daemon} receives what
 * guests and the hypervisor signal; {@link #notify} sends to a guest's socket. As on Xen, the bindings are the
 * process's own: when it dies they die with it, a new process binds the guests' ports again (and finds each new
 * local port pending: notifications may have been lost meanwhile), and a notification nobody is bound to is dropped.
 */
final class SharedSimEventChannels implements XenPlatform.EventChannels {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSimEventChannels.class);

    /** A local port's other end. */
    private record Remote(int domid, int port) {
    }

    private final SharedSimDir dir;
    private final Executor storeThread;
    private final IntConsumer onPending;
    private final DatagramListener socket;
    private final AtomicInteger nextPort = new AtomicInteger(1);
    private final Map<Integer, Remote> remoteOf = new ConcurrentHashMap<>();
    private final Map<Remote, Integer> localOf = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> virqPorts = new ConcurrentHashMap<>();
    /** Ports reported to the store thread and not yet handled: a port is queued once, as Xen masks it meanwhile. */
    private final Set<Integer> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private SharedSimEventChannels(SharedSimDir dir, Executor storeThread, IntConsumer onPending) throws IOException {
        this.dir = dir;
        this.storeThread = storeThread;
        this.onPending = onPending;
        this.socket = DatagramListener.start(dir.daemonSocket(), this::received, "xenstored-evtchn");
    }

    /** Binds the daemon's socket; fails while another live process has it (one xenstored per host). */
    static SharedSimEventChannels open(SharedSimDir dir, Executor storeThread, IntConsumer onPending)
            throws IOException {
        return new SharedSimEventChannels(dir, storeThread, onPending);
    }

    @Override
    public int bindInterdomain(int domid, int remotePort) throws IOException {
        SharedSimDir.Domain d = dir.read(domid).orElseThrow(() -> new IOException("no domain " + domid));
        if (d.port() != remotePort) {
            throw new IOException("domain " + domid + " has no unbound event channel " + remotePort);
        }
        Remote remote = new Remote(domid, remotePort);
        int local = nextPort.getAndIncrement();
        if (localOf.putIfAbsent(remote, local) != null) {
            throw new IOException("event channel " + remotePort + " of domain " + domid + " is bound already");
        }
        remoteOf.put(local, remote);
        deliver(local); // Xen: "we may have lost notifications on the remote unbound port"
        return local;
    }

    @Override
    public int bindVirq(int virq) {
        int local = nextPort.getAndIncrement();
        virqPorts.put(virq, local);
        return local;
    }

    @Override
    public void unbind(int localPort) {
        Remote remote = remoteOf.remove(localPort);
        if (remote != null) {
            localOf.remove(remote, localPort);
        }
        virqPorts.values().remove(localPort);
    }

    @Override
    public void notify(int localPort) {
        Remote remote = remoteOf.get(localPort);
        if (remote != null) {
            // dropped when the guest has no socket (destroyed) or has signals queued already
            socket.send(dir.guestSocket(remote.domid()), SimEventMessage.fromDaemon(remote.port()).encode());
        }
    }

    private void received(String text) {
        SimEventMessage m = SimEventMessage.parse(text);
        Integer local = m.kind() == SimEventMessage.Kind.VIRQ ? virqPorts.get(m.port())
                : m.kind() == SimEventMessage.Kind.GUEST ? localOf.get(new Remote(m.domid(), m.port())) : null;
        if (local != null) {
            deliver(local);
        } else {
            LOG.debug("event channel message '{}' dropped: nothing bound to it", text);
        }
    }

    private void deliver(int port) {
        if (closed || !pending.add(port)) {
            return;
        }
        try {
            storeThread.execute(() -> {
                pending.remove(port);
                onPending.accept(port);
            });
        } catch (RejectedExecutionException e) {
            pending.remove(port); // the store thread is shutting down
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
