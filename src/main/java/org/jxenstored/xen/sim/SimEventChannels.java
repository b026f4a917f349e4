package org.jxenstored.xen.sim;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import org.jxenstored.xen.XenPlatform;

/** In-process event channels between the daemon and simulated guests. */
final class SimEventChannels implements XenPlatform.EventChannels {
    private final SimPlatform platform;
    private final Executor storeThread;
    private final IntConsumer onPending;
    /** Local (daemon) port to the domain it is bound to; VIRQ ports map to -1. */
    private final Map<Integer, Integer> boundDomain = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> virqPorts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SimEventChannels(SimPlatform platform, Executor storeThread, IntConsumer onPending) {
        this.platform = platform;
        this.storeThread = storeThread;
        this.onPending = onPending;
    }

    @Override
    public int bindInterdomain(int domid, int remotePort) throws IOException {
        SimPlatform.SimDomain d = platform.domain(domid);
        if (d == null || d.guestPort != remotePort) {
            throw new IOException("no event channel " + remotePort + " in domain " + domid);
        }
        int local = platform.allocatePort();
        boundDomain.put(local, domid);
        return local;
    }

    @Override
    public int bindVirq(int virq) {
        int local = platform.allocatePort();
        virqPorts.put(virq, local);
        boundDomain.put(local, -1);
        return local;
    }

    @Override
    public void unbind(int localPort) {
        boundDomain.remove(localPort);
    }

    @Override
    public void notify(int localPort) {
        Integer domid = boundDomain.get(localPort);
        if (domid == null || domid < 0) {
            return;
        }
        SimPlatform.SimDomain d = platform.domain(domid);
        if (d != null) {
            d.guestNotify.run();
        }
    }

    /** The guest of {@code domid} signalled its xenstore channel. */
    void fromGuest(int domid) {
        for (Map.Entry<Integer, Integer> e : boundDomain.entrySet()) {
            if (e.getValue() == domid) {
                deliver(e.getKey());
            }
        }
    }

    void raiseVirq(int virq) {
        Integer port = virqPorts.get(virq);
        if (port != null) {
            deliver(port);
        }
    }

    private void deliver(int port) {
        if (!closed) {
            storeThread.execute(() -> onPending.accept(port));
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
