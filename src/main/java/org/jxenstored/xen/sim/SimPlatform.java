package org.jxenstored.xen.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.jxenstored.xen.XenPlatform;

/**
 * A hypervisor in a box: domains are entries in a table, each domain's xenstore page is a memory-mapped file (the
 * daemon and the simulated guest map it separately, so it really is shared memory), and event channels are
 * in-process calls. Thread-safe: tests drive guests from their own threads while the daemon runs on its store
 * thread.
 */
public final class SimPlatform implements XenPlatform {
    private final Path dir;
    /** Whether {@link #close()} removes {@link #dir}: it was made for this platform alone. */
    private final boolean ownsDir;
    private final Map<Integer, SimDomain> domains = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(10);
    private volatile SimEventChannels channels;
    /** Dom0's own ring, as {@code /proc/xen/xsd_kva} would offer it, once {@link #createDom0Ring()} made one. */
    private volatile SimDomain dom0Ring;

    /** Domain state as the simulated hypervisor reports it. */
    static final class SimDomain {
        final int domid;
        final Path ringFile;
        volatile boolean shutdown;
        volatile boolean dying;
        volatile int shutdownReason;
        /** The guest's end of its xenstore event channel, notified when the daemon signals it. */
        volatile Runnable guestNotify = () -> { };
        final int guestPort;

        SimDomain(int domid, Path ringFile, int guestPort) {
            this.domid = domid;
            this.ringFile = ringFile;
            this.guestPort = guestPort;
        }
    }

    /** @param dir where ring page files are created */
    public SimPlatform(Path dir) {
        this(dir, false);
    }

    private SimPlatform(Path dir, boolean ownsDir) {
        this.dir = dir;
        this.ownsDir = ownsDir;
    }

    /** A platform whose ring pages live in a new temporary directory, removed again at {@link #close()} (demo mode). */
    public static SimPlatform inTemporaryDirectory() throws IOException {
        return new SimPlatform(Files.createTempDirectory("jxenstored-sim"), true);
    }

    @Override
    public String describe() {
        return "simulated Xen (ring pages in " + dir + ")";
    }

    /**
     * Creates a running domain with a zeroed xenstore page, as the domain builder would.
     *
     * @return the guest's side of it
     */
    public SimGuest createDomain(int domid) {
        try {
            Files.createDirectories(dir);
            Path ring = dir.resolve("ring-" + domid);
            Files.deleteIfExists(ring);
            SimDomain d = new SimDomain(domid, ring, nextPort.getAndIncrement());
            MappedByteBuffer page = RingFile.map(ring);
            domains.put(domid, d);
            SimGuest guest = new SimGuest(domid, d.guestPort, page, () -> signalFromGuest(domid));
            d.guestNotify = guest::daemonSignalled;
            return guest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Marks a domain as shut down (crash, poweroff) and raises VIRQ_DOM_EXC. */
    public void shutdown(int domid, int reason) {
        SimDomain d = domains.get(domid);
        if (d != null) {
            d.shutdown = true;
            d.shutdownReason = reason;
        }
        raiseDomExc();
    }

    /** Destroys a domain (it disappears from the table) and raises VIRQ_DOM_EXC. */
    public void destroy(int domid) {
        destroyUnnoticed(domid);
        raiseDomExc();
    }

    /**
     * Destroys a domain without raising VIRQ_DOM_EXC: the daemon has not yet processed the death (raise it later with
     * {@link #raiseDomExc()}, or create a new domain with the id first).
     */
    public void destroyUnnoticed(int domid) {
        domains.remove(domid);
    }

    /** Makes a domain dying but still listed, and raises VIRQ_DOM_EXC. */
    public void markDying(int domid) {
        SimDomain d = domains.get(domid);
        if (d != null) {
            d.dying = true;
        }
        raiseDomExc();
    }

    public void raiseDomExc() {
        SimEventChannels c = channels;
        if (c != null) {
            c.raiseVirq(VIRQ_DOM_EXC);
        }
    }

    private void signalFromGuest(int domid) {
        SimEventChannels c = channels;
        if (c != null) {
            c.fromGuest(domid);
        }
    }

    @Override
    public EventChannels openEventChannels(Executor storeThread, IntConsumer onPending) {
        SimEventChannels c = new SimEventChannels(this, storeThread, onPending);
        channels = c;
        return c;
    }

    SimDomain domain(int domid) {
        return domains.get(domid);
    }

    int allocatePort() {
        return nextPort.getAndIncrement();
    }

    @Override
    public RingMapping mapRing(int domid, long gfn) throws IOException {
        SimDomain d = domains.get(domid);
        if (d == null) {
            throw new IOException("no domain " + domid);
        }
        return RingFile.mapping(d.ringFile);
    }

    @Override
    public Optional<DomainInfo> domainInfo(int domid) {
        SimDomain d = domains.get(domid);
        return d == null ? Optional.empty() : Optional.of(new DomainInfo(domid, d.dying, d.shutdown, d.shutdownReason));
    }

    @Override
    public List<DomainInfo> listDomains() {
        List<DomainInfo> out = new ArrayList<>();
        for (SimDomain d : domains.values()) {
            out.add(new DomainInfo(d.domid, d.dying, d.shutdown, d.shutdownReason));
        }
        return out;
    }

    /**
     * Gives Dom0 a xenstore ring of its own, as its kernel does (the daemon serves it at start, privileged): the
     * returned guest plays Dom0's kernel xenbus. Call before the daemon starts.
     */
    public SimGuest createDom0Ring() {
        SimGuest g = createDomain(0);
        dom0Ring = domains.get(0);
        return g;
    }

    @Override
    public Optional<LocalRing> dom0Ring() throws IOException {
        SimDomain d = dom0Ring;
        if (d == null) {
            return Optional.empty();
        }
        return Optional.of(new LocalRing(mapRing(0, 0), d.guestPort));
    }

    @Override
    public void close() {
        SimEventChannels c = channels;
        if (c != null) {
            c.close();
        }
        if (ownsDir) {
            removeDir();
        }
    }

    /** Best effort: a page still mapped stays valid after its file is removed. */
    private void removeDir() {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException | RuntimeException e) {
            // a demo's leftover in the temporary directory, nothing more
        }
    }
}
