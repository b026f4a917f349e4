package org.jxenstored.xen.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import org.jxenstored.xen.XenPlatform;

/**
 * The daemon's side of a simulated hypervisor shared through a directory ({@link SharedSimDir}): another process
 * (a test, with {@link SharedSimHypervisor}) builds the domains and plays their kernels, so that the daemon can be
 * killed and started again while its guests live on. The domain table is read from the directory at every
 * question, the rings are the domains' page files, and the event channels are datagram sockets
 * ({@link SharedSimEventChannels}). Dom0 has no ring here: Dom0 talks through the Unix socket.
 */
public final class SharedSimPlatform implements XenPlatform {
    private final SharedSimDir dir;
    private volatile SharedSimEventChannels channels;

    /** The platform of the simulator in {@code dir}, which need not be populated yet. */
    public SharedSimPlatform(Path dir) {
        this.dir = new SharedSimDir(dir);
    }

    @Override
    public String describe() {
        return "simulated Xen shared through " + dir.path();
    }

    @Override
    public EventChannels openEventChannels(Executor storeThread, IntConsumer onPending) throws IOException {
        Files.createDirectories(dir.path());
        SharedSimEventChannels c = SharedSimEventChannels.open(dir, storeThread, onPending);
        channels = c;
        return c;
    }

    @Override
    public RingMapping mapRing(int domid, long gfn) throws IOException {
        if (dir.read(domid).isEmpty() || !Files.exists(dir.ringFile(domid))) {
            throw new IOException("no domain " + domid + " with a ring in " + dir.path());
        }
        return RingFile.mapping(dir.ringFile(domid));
    }

    @Override
    public Optional<DomainInfo> domainInfo(int domid) throws IOException {
        return dir.read(domid).map(SharedSimPlatform::info);
    }

    @Override
    public List<DomainInfo> listDomains() throws IOException {
        List<DomainInfo> out = new ArrayList<>();
        for (SharedSimDir.Domain d : dir.list()) {
            out.add(info(d));
        }
        return out;
    }

    private static DomainInfo info(SharedSimDir.Domain d) {
        return new DomainInfo(d.domid(), d.dying(), d.shutdown(), d.shutdownReason());
    }

    @Override
    public Optional<LocalRing> dom0Ring() {
        return Optional.empty();
    }

    @Override
    public void close() {
        SharedSimEventChannels c = channels;
        if (c != null) {
            c.close();
        }
    }
}
