package org.jxenstored.xen.sim;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jxenstored.os.UnixDatagramSocket;

/**
 * The hypervisor's and the guests' side of the shared-directory simulator, for a process other than the daemon's
 * (an integration test): it builds domains in the directory (record, zeroed ring page, event channel socket), plays
 * their kernels' xenstore drivers ({@link SimGuest}), changes their state and raises {@code VIRQ_DOM_EXC}. The daemon
 * runs with {@code --simulate-dir} on the same directory ({@link SharedSimPlatform}) and may die and start again
 * meanwhile: the guests keep their pages and ports, and their signals reach whichever daemon is bound.
 */
public final class SharedSimHypervisor implements AutoCloseable {
    private final SharedSimDir dir;
    /** Sends the hypervisor's own signals (virtual IRQs). */
    private final UnixDatagramSocket virqSender;
    private final Map<Integer, SimGuest> guests = new ConcurrentHashMap<>();
    private final Map<Integer, DatagramListener> guestSockets = new ConcurrentHashMap<>();
    private final AtomicInteger nextGuestPort = new AtomicInteger(10);

    /** A hypervisor with no domains yet in {@code dir} (created if needed; keep its path short: socket paths). */
    public SharedSimHypervisor(Path dir) throws IOException {
        this.dir = new SharedSimDir(dir);
        Files.createDirectories(dir);
        this.virqSender = UnixDatagramSocket.unbound();
    }

    /** The shared directory: what the daemon's {@code --simulate-dir} names. */
    public Path dir() {
        return dir.path();
    }

    /**
     * Builds a running domain with a zeroed xenstore page and an unbound event channel, as the domain builder does;
     * introduce it to the daemon with {@code XS_INTRODUCE(domid, guest.ringFrame(), guest.port())}.
     *
     * @return the guest's kernel side of it
     */
    public SimGuest createDomain(int domid) throws IOException {
        if (guests.containsKey(domid)) {
            throw new IllegalStateException("domain " + domid + " exists");
        }
        Path ring = dir.ringFile(domid);
        Files.deleteIfExists(ring);
        MappedByteBuffer page = RingFile.map(ring);
        int port = nextGuestPort.getAndIncrement();
        SimGuest guest = new SimGuest(domid, port, page, () -> signalDaemon(domid, port));
        guests.put(domid, guest);
        guestSockets.put(domid, DatagramListener.start(dir.guestSocket(domid), m -> guest.daemonSignalled(),
                "sim-guest-" + domid + "-evtchn"));
        dir.write(new SharedSimDir.Domain(domid, port, false, false, 0));
        return guest;
    }

    private void signalDaemon(int domid, int port) {
        DatagramListener socket = guestSockets.get(domid);
        if (socket != null) {
            // dropped while no daemon is bound, as Xen drops a send on an unbound port
            socket.send(dir.daemonSocket(), SimEventMessage.fromGuest(domid, port).encode());
        }
    }

    /** The guest of a domain built here, or null. */
    public SimGuest guest(int domid) {
        return guests.get(domid);
    }

    /** Marks a domain as shut down (poweroff 0, reboot 1, suspend 2, crash 3) and raises VIRQ_DOM_EXC. */
    public void shutdown(int domid, int reason) throws IOException {
        SharedSimDir.Domain d = existing(domid);
        dir.write(d.withShutdown(reason));
        raiseDomExc();
    }

    /** Makes a domain dying (still listed, its connection to be torn down) and raises VIRQ_DOM_EXC. */
    public void markDying(int domid) throws IOException {
        dir.write(existing(domid).withDying());
        raiseDomExc();
    }

    /** Destroys a domain: it leaves the table, its page and its event channel go; raises VIRQ_DOM_EXC. */
    public void destroy(int domid) throws IOException {
        dir.remove(domid);
        guests.remove(domid);
        DatagramListener socket = guestSockets.remove(domid);
        if (socket != null) {
            socket.close();
        }
        Files.deleteIfExists(dir.ringFile(domid)); // the daemon's mapping stays valid until it unmaps
        raiseDomExc();
    }

    private SharedSimDir.Domain existing(int domid) throws IOException {
        return dir.read(domid).orElseThrow(() -> new IllegalStateException("no domain " + domid));
    }

    /**
     * Raises VIRQ_DOM_EXC at the daemon.
     *
     * @return false when it was dropped: no daemon is bound
     */
    public boolean raiseDomExc() {
        return virqSender.send(dir.daemonSocket(), SimEventMessage.virq(org.jxenstored.xen.XenPlatform.VIRQ_DOM_EXC)
                .encode().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Stops the guests' event channels (their sockets go); the domain table and the pages stay in the directory,
     * which is the caller's to remove.
     */
    @Override
    public void close() {
        for (DatagramListener socket : new ArrayList<>(guestSockets.values())) {
            socket.close();
        }
        guestSockets.clear();
        guests.clear();
        virqSender.close();
    }
}
