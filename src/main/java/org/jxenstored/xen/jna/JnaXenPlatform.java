package org.jxenstored.xen.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.jxenstored.xen.RingLayout;
import org.jxenstored.xen.XenPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link XenPlatform} on a real Xen host, through Xen's own libraries (libxenevtchn, libxengnttab,
 * libxenforeignmemory, libxenctrl) and libc, bound with JNA. See {@code docs/xen-platform.md}.
 *
 * <p>Obtain one with {@link #openIfPresent}: empty where there is no {@code /dev/xen}, an {@link IOException} with the
 * reason where Xen is there but not usable (libraries missing, no privilege). Every native failure afterwards surfaces as an
 * {@link IOException} naming the call and its errno.
 *
 * <p>Thread safety: every method may be called from any thread. {@link #close()} closes the event channels opened
 * through this platform and unmaps the ring pages still mapped, then releases the library handles; calls made after
 * it fail with an {@link IOException}.
 */
public final class JnaXenPlatform implements XenPlatform {
    private static final Logger LOG = LoggerFactory.getLogger(JnaXenPlatform.class);

    /** Domains fetched per {@code xc_domain_getinfolist} call when the struct layout is the verified one. */
    static final int LIST_BATCH = 256;
    /** Buffer for a single entry when the layout is not the verified one: far more than any version's struct. */
    static final int UNVERIFIED_ENTRY_BUFFER = 4096;

    /**
     * Where the platform looks for things; {@link #DEFAULT} outside tests.
     *
     * @param devXen the directory whose existence says "this is a Xen host", or null: use the libraries anyway
     */
    record Environment(Path devXen, Path xsdKva, Path xsdPort, XenLibraries.Names names) {
        static final Environment DEFAULT = new Environment(Path.of("/dev/xen"), Path.of("/proc/xen/xsd_kva"),
                Path.of("/proc/xen/xsd_port"), XenLibraries.Names.DEFAULT);
    }

    private final Environment env;
    private final XenLibraries libs;
    private final Pointer xch;
    /** Grant table handle; null when {@code xengnttab_open} failed (then only foreign mapping is used). */
    private final Pointer xgt;
    /** Foreign memory handle; null when {@code xenforeignmemory_open} failed. */
    private final Pointer fmem;
    private final String description;
    private final boolean layoutVerified;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;
    private final Set<JnaEventChannels> eventChannels = ConcurrentHashMap.newKeySet();
    private final Set<NativeRingMapping> mappings = ConcurrentHashMap.newKeySet();

    JnaXenPlatform(Environment env, XenLibraries libs, Pointer xch, Pointer xgt, Pointer fmem,
            String description) {
        this.env = env;
        this.libs = libs;
        this.xch = xch;
        this.xgt = xgt;
        this.fmem = fmem;
        this.description = description;
        this.layoutVerified = libs.domainInfoLayoutVerified();
    }

    /**
     * The platform when this is a Xen host: empty only when {@code /dev/xen} does not exist. Where it exists but the
     * platform cannot be opened (libraries missing, no privilege), this fails: serving the socket alone there would
     * introduce guests and never serve them.
     *
     * @param xsdKva Dom0's ring page ({@code /proc/xen/xsd_kva}, oxenstored's {@code xenstored-kva})
     * @param xsdPort Dom0's ring event channel ({@code /proc/xen/xsd_port}, oxenstored's {@code xenstored-port})
     */
    public static Optional<XenPlatform> openIfPresent(Path xsdKva, Path xsdPort) throws IOException {
        return openIfPresent(new Environment(Environment.DEFAULT.devXen(), xsdKva, xsdPort, XenLibraries.Names.DEFAULT));
    }

    /**
     * The platform through the Xen functions of one given library, with no {@code /dev/xen}: an explicit choice of
     * the operator ({@code --xen-library}), for the anchors' fake hypervisor (a shim the daemon's predecessor had
     * preloaded). Functions the library lacks come from the system's Xen libraries.
     */
    public static XenPlatform openWithLibrary(Path library, Path xsdKva, Path xsdPort) throws IOException {
        XenLibraries.Names d = XenLibraries.Names.DEFAULT;
        XenLibraries.Names names = new XenLibraries.Names(d.libc(), first(library, d.evtchn()),
                first(library, d.gnttab()), d.foreignMemory(), first(library, d.ctrl()));
        try {
            return open(new Environment(null, xsdKva, xsdPort, names));
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("unexpected failure opening the Xen platform through " + library + ": " + e, e);
        }
    }

    private static List<String> first(Path library, List<String> then) {
        List<String> out = new ArrayList<>();
        out.add(library.toString());
        out.addAll(then);
        return out;
    }

    static Optional<XenPlatform> openIfPresent(Environment env) throws IOException {
        if (!Files.exists(env.devXen())) {
            return Optional.empty();
        }
        try {
            return Optional.of(open(env));
        } catch (RuntimeException | LinkageError e) {
            throw new IOException("unexpected failure opening the Xen platform: " + e, e);
        }
    }

    /** Opens the platform or fails with the reason. */
    static JnaXenPlatform open(Environment env) throws IOException {
        if (env.devXen() != null && !Files.exists(env.devXen())) {
            throw new IOException(env.devXen() + " does not exist: not running on Xen, or the Xen drivers are not "
                    + "loaded");
        }
        XenLibraries libs = XenLibraries.load(env.names());
        checkDomainInfoLayout();
        Pointer xch = libs.ctrl().xc_interface_open(null, null, 0);
        if (xch == null) {
            throw Errno.lastFailure("xc_interface_open (needs root and /dev/xen/privcmd)");
        }
        Pointer xgt = libs.gnttab().xengnttab_open(null, 0);
        String gnttabError = xgt == null ? Errno.describe(Errno.last()) : null;
        Pointer fmem = libs.foreignMemory().xenforeignmemory_open(null, 0);
        String fmemError = fmem == null ? Errno.describe(Errno.last()) : null;
        if (xgt == null && fmem == null) {
            libs.ctrl().xc_interface_close(xch);
            throw new IOException("no way to map ring pages: xengnttab_open failed: " + gnttabError
                    + "; xenforeignmemory_open failed: " + fmemError);
        }
        if (xgt == null) {
            LOG.warn("xengnttab_open failed ({}); ring pages will be mapped as foreign memory only", gnttabError);
        }
        if (fmem == null) {
            LOG.warn("xenforeignmemory_open failed ({}); ring pages will be mapped through grants only", fmemError);
        }
        int version;
        try {
            version = libs.ctrl().xc_version(xch, XenCtrlLib.XENVER_VERSION, null);
        } catch (UnsatisfiedLinkError e) {
            version = -1;
        }
        String description = description(version, libs.xenLibraries(), xgt != null, fmem != null);
        JnaXenPlatform platform = new JnaXenPlatform(env, libs, xch, xgt, fmem, description);
        if (!platform.layoutVerified) {
            LOG.warn("{} is not the libxenctrl whose domain info layout the tests verify ({} on {}); reading one "
                    + "domain per call", libs.ctrlLibrary(), XenLibraries.VERIFIED_XENCTRL_SONAME,
                    XenLibraries.VERIFIED_ARCH);
        }
        return platform;
    }

    /** "Xen 4.17 via libxenevtchn.so.1, ..." from {@code xc_version(XENVER_version)} and the libraries loaded. */
    static String description(int xenVersion, List<XenLibraries.Loaded> libraries, boolean grants,
            boolean foreignMapping) {
        String hypervisor = xenVersion < 0 ? "Xen (version unknown)"
                : "Xen " + (xenVersion >>> 16) + "." + (xenVersion & 0xFFFF);
        String via = libraries.stream().map(XenLibraries.Loaded::name).collect(Collectors.joining(", "));
        return hypervisor + " via " + via + (grants ? "" : " (no grant mapping)")
                + (foreignMapping ? "" : " (no foreign mapping)");
    }

    /** Builds the {@link DomainInfoStruct} layout now, so that a JNA problem with it is a clean open failure. */
    private static void checkDomainInfoLayout() throws IOException {
        try {
            if (DomainInfoStruct.SIZE <= DomainInfoStruct.FLAGS_OFFSET) {
                throw new IOException("implausible xc_domaininfo_t layout: size " + DomainInfoStruct.SIZE);
            }
        } catch (Error e) {
            throw new IOException("cannot lay out xc_domaininfo_t: " + e, e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public EventChannels openEventChannels(Executor storeThread, IntConsumer onPending) throws IOException {
        return tracked(onClosed -> JnaEventChannels.open(libs.evtchn(), libs.libc(), storeThread, onPending,
                onClosed));
    }

    @Override
    public EventChannels adoptEventChannels(int fd, Executor storeThread, IntConsumer onPending) throws IOException {
        return tracked(onClosed -> JnaEventChannels.adopt(libs.evtchn(), libs.libc(), fd, storeThread, onPending,
                onClosed));
    }

    /** How to make event channels, given what to run when they close. */
    private interface ChannelsFactory {
        JnaEventChannels make(Runnable onClosed) throws IOException;
    }

    /** Event channels this platform closes with itself, until they close on their own. */
    private EventChannels tracked(ChannelsFactory factory) throws IOException {
        lock.readLock().lock();
        try {
            ensureOpen();
            JnaEventChannels[] holder = new JnaEventChannels[1];
            JnaEventChannels channels = factory.make(() -> eventChannels.remove(holder[0]));
            holder[0] = channels;
            eventChannels.add(channels);
            return channels;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public OptionalInt remotePortOf(int localPort) {
        lock.readLock().lock();
        try {
            if (closed) {
                return OptionalInt.empty();
            }
            Memory status = EvtchnStatus.request(localPort);
            if (libs.ctrl().xc_evtchn_status(xch, status) != 0) {
                LOG.warn("xc_evtchn_status({}) failed: {}", localPort, Errno.describe(Errno.last()));
                return OptionalInt.empty();
            }
            return EvtchnStatus.remotePort(status);
        } catch (UnsatisfiedLinkError e) {
            return OptionalInt.empty(); // a libxenctrl without it (the anchors' shim)
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public RingMapping mapRing(int domid, long gfn) throws IOException {
        lock.readLock().lock();
        try {
            ensureOpen();
            String grantError = "no grant table handle";
            if (xgt != null) {
                Pointer page = libs.gnttab().xengnttab_map_grant_ref(xgt, domid, GNTTAB_RESERVED_XENSTORE,
                        LibC.PROT_READ | LibC.PROT_WRITE);
                if (page != null) {
                    LOG.debug("mapped the xenstore ring of domain {} through grant {}", domid,
                            GNTTAB_RESERVED_XENSTORE);
                    return track(new NativeRingMapping("grant " + GNTTAB_RESERVED_XENSTORE + " of domain " + domid,
                            page, this::unmapGrant, mappings::remove));
                }
                grantError = Errno.describe(Errno.last());
            }
            String foreignError = "no foreign memory handle";
            if (fmem != null) {
                Memory frames = new Memory(Long.BYTES);
                frames.setLong(0, gfn);
                Pointer page = libs.foreignMemory().xenforeignmemory_map(fmem, domid,
                        LibC.PROT_READ | LibC.PROT_WRITE, 1, frames, null);
                if (page != null) {
                    LOG.debug("grant mapping of domain {} failed ({}); mapped gfn {} instead", domid, grantError,
                            gfn);
                    return track(new NativeRingMapping("gfn 0x" + Long.toHexString(gfn) + " of domain " + domid,
                            page, this::unmapForeign, mappings::remove));
                }
                foreignError = Errno.describe(Errno.last());
            }
            throw new IOException("cannot map the xenstore ring of domain " + domid + ": xengnttab_map_grant_ref: "
                    + grantError + "; xenforeignmemory_map(gfn 0x" + Long.toHexString(gfn) + "): " + foreignError);
        } finally {
            lock.readLock().unlock();
        }
    }

    private NativeRingMapping track(NativeRingMapping mapping) {
        mappings.add(mapping);
        return mapping;
    }

    private void unmapGrant(Pointer page) throws IOException {
        lock.readLock().lock();
        try {
            if (!closed && libs.gnttab().xengnttab_unmap(xgt, page, 1) != 0) {
                throw Errno.lastFailure("xengnttab_unmap");
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private void unmapForeign(Pointer page) throws IOException {
        lock.readLock().lock();
        try {
            if (!closed && libs.foreignMemory().xenforeignmemory_unmap(fmem, page, 1) != 0) {
                throw Errno.lastFailure("xenforeignmemory_unmap");
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<DomainInfo> domainInfo(int domid) throws IOException {
        if (domid < 0 || domid >= DomainInfoStruct.DOMID_FIRST_RESERVED) {
            return Optional.empty();
        }
        lock.readLock().lock();
        try {
            ensureOpen();
            Memory buffer = new Memory(layoutVerified ? DomainInfoStruct.SIZE : UNVERIFIED_ENTRY_BUFFER);
            int n = libs.ctrl().xc_domain_getinfolist(xch, domid, 1, buffer);
            if (n < 0) {
                throw Errno.lastFailure("xc_domain_getinfolist(domid " + domid + ")");
            }
            if (n == 0 || DomainInfoStruct.domid(buffer, 0) != domid) {
                return Optional.empty();
            }
            return Optional.of(DomainInfoStruct.read(buffer, 0));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<DomainInfo> listDomains() throws IOException {
        lock.readLock().lock();
        try {
            ensureOpen();
            return listDomains(libs.ctrl(), xch, layoutVerified);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Every domain, fetched in batches of {@link #LIST_BATCH} when {@code layoutVerified} (then the array stride is
     * {@link DomainInfoStruct#SIZE}), one per call otherwise (only the first entry is read, whatever its size).
     */
    static List<DomainInfo> listDomains(XenCtrlLib ctrl, Pointer xch, boolean layoutVerified) throws IOException {
        int batch = layoutVerified ? LIST_BATCH : 1;
        long stride = DomainInfoStruct.SIZE;
        Memory buffer = new Memory(layoutVerified ? batch * stride : UNVERIFIED_ENTRY_BUFFER);
        List<DomainInfo> domains = new ArrayList<>();
        int first = 0;
        while (first < DomainInfoStruct.DOMID_FIRST_RESERVED) {
            int n = ctrl.xc_domain_getinfolist(xch, first, batch, buffer);
            if (n < 0) {
                throw Errno.lastFailure("xc_domain_getinfolist(from domid " + first + ")");
            }
            n = Math.min(n, batch);
            int next = first;
            for (int i = 0; i < n; i++) {
                DomainInfo info = DomainInfoStruct.read(buffer, i * stride);
                if (info.domid() < first || info.domid() >= DomainInfoStruct.DOMID_FIRST_RESERVED) {
                    continue;
                }
                domains.add(info);
                next = Math.max(next, info.domid() + 1);
            }
            if (n < batch || next == first) {
                break;
            }
            first = next;
        }
        return domains;
    }

    @Override
    public Optional<LocalRing> dom0Ring() throws IOException {
        lock.readLock().lock();
        try {
            ensureOpen();
            if (!Files.exists(env.xsdKva()) || !Files.exists(env.xsdPort())) {
                return Optional.empty();
            }
            int port = readPort(env.xsdPort());
            NativeRingMapping mapping = mapPage(libs.libc(), env.xsdKva(), mappings::remove);
            return Optional.of(new LocalRing(track(mapping), port));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The event channel port in {@code /proc/xen/xsd_port} (a decimal number). */
    static int readPort(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
        try {
            int port = Integer.parseInt(text);
            if (port <= 0) {
                throw new IOException(file + " holds no valid event channel port: \"" + text + "\"");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds no event channel port: \"" + text + "\"", e);
        }
    }

    /** Maps the first page of {@code file} shared, read/write, with libc's mmap (as {@code /proc/xen/xsd_kva} needs). */
    static NativeRingMapping mapPage(LibC libc, Path file, NativeRingMapping.CloseListener listener)
            throws IOException {
        int fd = libc.open(file.toString(), LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw Errno.lastFailure("open(" + file + ")");
        }
        try {
            Pointer page = libc.mmap(null, RingLayout.PAGE_SIZE, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED,
                    fd, 0);
            if (page == null || Pointer.nativeValue(page) == LibC.MAP_FAILED) {
                throw Errno.lastFailure("mmap(" + file + ")");
            }
            return new NativeRingMapping(file.toString(), page, address -> {
                if (libc.munmap(address, RingLayout.PAGE_SIZE) != 0) {
                    throw Errno.lastFailure("munmap(" + file + ")");
                }
            }, listener);
        } finally {
            libc.close(fd);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the Xen platform is closed");
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            for (JnaEventChannels channels : new ArrayList<>(eventChannels)) {
                channels.close();
            }
            for (NativeRingMapping mapping : new ArrayList<>(mappings)) {
                mapping.close();
            }
            closed = true;
            if (fmem != null && libs.foreignMemory().xenforeignmemory_close(fmem) != 0) {
                LOG.warn("xenforeignmemory_close failed: {}", Errno.describe(Errno.last()));
            }
            if (xgt != null && libs.gnttab().xengnttab_close(xgt) != 0) {
                LOG.warn("xengnttab_close failed: {}", Errno.describe(Errno.last()));
            }
            if (libs.ctrl().xc_interface_close(xch) != 0) {
                LOG.warn("xc_interface_close failed: {}", Errno.describe(Errno.last()));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
