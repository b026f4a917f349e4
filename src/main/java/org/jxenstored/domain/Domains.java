package org.jxenstored.domain;

import static org.jxenstored.xen.RingLayout.CONNECTED;
import static org.jxenstored.xen.RingLayout.FEATURE_DOMID_ANY;
import static org.jxenstored.xen.RingLayout.FEATURE_ERROR;
import static org.jxenstored.xen.RingLayout.FEATURE_RECONNECTION;
import static org.jxenstored.xen.RingLayout.FEATURE_WATCHDEPTH;
import static org.jxenstored.xen.RingLayout.RECONNECT;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.jxenstored.protocol.XsError;
import org.jxenstored.server.DomainRegistry;
import org.jxenstored.server.Server;
import org.jxenstored.store.DomainCleanup;
import org.jxenstored.store.Domids;
import org.jxenstored.store.Paths;
import org.jxenstored.store.Perms;
import org.jxenstored.store.Tree;
import org.jxenstored.transport.ring.RingConnection;
import org.jxenstored.transport.ring.RingPage;
import org.jxenstored.transport.ring.RequestGate;
import org.jxenstored.xen.XenPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The domain layer: INTRODUCE and friends, each guest's ring connection, and domain life (VIRQ_DOM_EXC). Without a
 * platform (socket-only mode) domains can still be introduced, released and targeted, with no ring to serve:
 * the toolstack's bookkeeping works, and only Dom0's socket clients talk. Store thread only.
 */
public final class Domains implements DomainRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(Domains.class);
    /** What this daemon implements and offers in a ring's feature word. */
    public static final int SUPPORTED_FEATURES =
            FEATURE_RECONNECTION | FEATURE_ERROR | FEATURE_WATCHDEPTH | FEATURE_DOMID_ANY;

    private final Server server;
    private final XenPlatform platform;
    private final DomainOptions options;
    private final Map<Integer, Domain> domains = new HashMap<>();
    private final Map<Integer, Domain> byLocalPort = new HashMap<>();
    private final ReleasedDomains released = new ReleasedDomains();
    private XenPlatform.EventChannels channels;
    private ScheduledExecutorService storeThread;
    private int virqPort = -1;
    /** A live update's inherited bindings not yet claimed by their domain: domid to local port. */
    private final Map<Integer, Integer> inheritedPorts = new HashMap<>();
    /** The event channel device while a live update hands it over ({@link #prepareHandover}), else -1. */
    private int handoverFd = -1;

    /**
     * What a live-update successor inherits of its predecessor's event channels: the device's descriptor (-1: none,
     * bind anew) and the local port bound for each domain's ring.
     */
    public record Inherited(int evtchnFd, Map<Integer, Integer> localPorts) {
        public static final Inherited NONE = new Inherited(-1, Map.of());
    }

    /** @param platform the hypervisor, or null for socket-only mode */
    public Domains(Server server, XenPlatform platform, DomainOptions options) {
        this.server = server;
        this.platform = platform;
        this.options = options;
    }

    /** Registers Dom0, opens the event channels and serves Dom0's own ring when its kernel offers one. */
    public void start(ScheduledExecutorService storeThread) throws IOException {
        start(storeThread, Inherited.NONE);
    }

    /**
     * As {@link #start(ScheduledExecutorService)}, for a live update's successor: the predecessor's event channel
     * device is taken over with its bindings (nothing a guest sent meanwhile is lost), and each domain's ring is
     * served on the port bound for it ({@link #restore}). VIRQ_DOM_EXC is bound again: the predecessor unbound it.
     */
    public void start(ScheduledExecutorService storeThread, Inherited inherited) throws IOException {
        this.storeThread = storeThread;
        Domain dom0 = new Domain(0, SUPPORTED_FEATURES);
        dom0.introduced = true;
        domains.put(0, dom0);
        if (platform == null) {
            return;
        }
        if (inherited.evtchnFd() >= 0) {
            channels = platform.adoptEventChannels(inherited.evtchnFd(), storeThread, this::onPort);
            inheritedPorts.putAll(inherited.localPorts());
            LOG.info("live-update: took over the event channel device (descriptor {}) with {} bindings",
                    inherited.evtchnFd(), inheritedPorts.size());
        } else {
            channels = platform.openEventChannels(storeThread, this::onPort);
        }
        if (options.ringScanIntervalSeconds > 0) {
            storeThread.scheduleWithFixedDelay(this::scanRings, options.ringScanIntervalSeconds,
                    options.ringScanIntervalSeconds, java.util.concurrent.TimeUnit.SECONDS);
        }
        virqPort = channels.bindVirq(XenPlatform.VIRQ_DOM_EXC);
        Optional<XenPlatform.LocalRing> ring = platform.dom0Ring();
        if (ring.isPresent()) {
            Integer local = inheritedPorts.remove(0);
            attachRing(dom0, ring.get().mapping(), ring.get().remotePort(), local == null ? -1 : local,
                    local == null);
            LOG.info("serving Dom0's ring (event channel {})", ring.get().remotePort());
        }
    }

    /** Every introduced domain as a restart needs it (Dom0 included: its target and features). */
    public List<DomainState> persistentState() {
        List<DomainState> out = new ArrayList<>();
        for (Domain d : domains.values()) {
            if (d.introduced) {
                out.add(new DomainState(d.domid, d.gfn, d.remotePort, d.target, d.features, d.shutdownReported));
            }
        }
        return out;
    }

    /**
     * Takes over a domain a predecessor had introduced (crash restart): no @introduceDomain, the ring mapped again
     * and its event channel bound again to the guest's port. A ring that cannot be mapped or bound leaves the domain
     * known without a connection, so that its death is still noticed and announced.
     *
     * @return its ring connection, or null when it has none (socket-only mode, or the ring could not be taken)
     */
    public RingConnection restore(DomainState s) {
        Domain d = domains.computeIfAbsent(s.domid(), id -> new Domain(id, s.features()));
        d.introduced = true;
        d.features = s.features();
        d.target = s.target();
        d.shutdownReported = s.shutdownReported();
        d.gfn = s.gfn();
        d.remotePort = s.remotePort();
        Integer local = inheritedPorts.remove(s.domid());
        if (s.domid() == 0 || platform == null || d.conn != null) {
            if (d.conn != null && d.target != RingConnection.NO_TARGET) {
                d.conn.setTarget(d.target);
            }
            return d.conn;
        }
        if (local != null && (d.remotePort < 0 || d.gfn < 0)) {
            learnWhatCDidNotSay(d, local);
        }
        XenPlatform.RingMapping mapping;
        try {
            mapping = platform.mapRing(s.domid(), Math.max(0, d.gfn));
        } catch (IOException e) {
            LOG.warn("restoring domain {}: cannot map its ring: {}; it stays known without a connection", s.domid(),
                    e.getMessage());
            if (local != null) {
                channels.unbind(local);
            }
            return null;
        }
        try {
            attachRing(d, mapping, d.remotePort, local == null ? -1 : local, false);
        } catch (IOException e) {
            mapping.close();
            LOG.warn("restoring domain {}: cannot bind event channel {}: {}; it stays known without a connection",
                    s.domid(), d.remotePort, e.getMessage());
            return null;
        }
        released.introduced(s.domid());
        return d.conn;
    }

    /** A domain taken over from C xenstored: its stream names the local port only ({@link TakenOverDomain}). */
    private void learnWhatCDidNotSay(Domain d, int localPort) {
        Tree live = server.store().live();
        if (d.remotePort < 0) {
            d.remotePort = TakenOverDomain.remotePort(platform, live, d.domid, localPort);
            if (d.remotePort < 0) {
                LOG.warn("domain {}: its event channel's remote port is unknown (Xen does not say, no store/port):"
                        + " after a crash the daemon could not reach it again", d.domid);
            }
        }
        if (d.gfn < 0) {
            d.gfn = TakenOverDomain.ringFrame(live, d.domid);
        }
    }

    /**
     * Readies the event channels for a live update: delivery stops, every port is unmasked, VIRQ_DOM_EXC is unbound
     * (the successor binds it; a second binding fails). The device stays open with every guest's binding.
     *
     * @return the device's descriptor for the successor to inherit, or -1 (none: it binds anew)
     */
    public int prepareHandover() {
        if (channels == null || channels.fd() < 0) {
            return -1;
        }
        channels.pauseForHandover(byLocalPort.keySet().stream().mapToInt(Integer::intValue).toArray());
        if (virqPort >= 0) {
            channels.unbind(virqPort);
            virqPort = -1;
        }
        handoverFd = channels.fd();
        return handoverFd;
    }

    /** The event channel device's descriptor while a hand-over is prepared, else -1. */
    public int handoverFd() {
        return handoverFd;
    }

    /** The live update did not happen: VIRQ_DOM_EXC bound again (C forgets to), events delivered again. */
    public void abandonHandover() {
        handoverFd = -1;
        if (channels == null) {
            return;
        }
        if (virqPort < 0 && platform != null) {
            try {
                virqPort = channels.bindVirq(XenPlatform.VIRQ_DOM_EXC);
            } catch (IOException e) {
                LOG.error("live-update abandoned: cannot bind VIRQ_DOM_EXC again ({}): domain deaths are noticed by"
                        + " polling only", e.getMessage());
            }
        }
        channels.resumeAfterHandover();
        checkDomains(); // a domain that died meanwhile
    }

    /** After a restart: a domain that died meanwhile is cleaned up now, as VIRQ_DOM_EXC would have. */
    public void recheck() {
        for (Map.Entry<Integer, Integer> e : inheritedPorts.entrySet()) {
            LOG.info("live-update: event channel {} of domain {} is not needed: unbound", e.getValue(), e.getKey());
            channels.unbind(e.getValue());
        }
        inheritedPorts.clear();
        if (platform != null) {
            checkDomains();
        }
    }

    /** Serves every ring once (after a restart: notifications sent while nobody listened were dropped). */
    public void pumpAll() {
        scanRings();
    }

    /** Stops every ring and closes the event channels. */
    public void stop() {
        for (Domain d : new ArrayList<>(domains.values())) {
            detach(d);
        }
        if (channels != null) {
            channels.close();
        }
    }

    private void onPort(int port) {
        if (port == virqPort) {
            checkDomains();
        } else {
            Domain d = byLocalPort.get(port);
            if (d != null && d.conn != null) {
                d.conn.onEvent();
            }
        }
        server.flushPending();
    }

    /** Serves every ring as if its event channel had fired (a notification lost on the way costs a delay, not a hang). */
    void scanRings() {
        for (Domain d : new ArrayList<>(domains.values())) {
            if (d.conn != null && !d.conn.isClosed()) {
                d.conn.onEvent();
            }
        }
        server.flushPending();
    }

    @Override
    public void introduce(int domid, long gfn, int port) {
        Domain d = domains.get(domid);
        if (d != null && d.introduced) {
            reintroduce(d, port);
            return;
        }
        if (d == null) {
            d = new Domain(domid, SUPPORTED_FEATURES);
        }
        if (platform != null) {
            XenPlatform.RingMapping mapping;
            try {
                mapping = platform.mapRing(domid, gfn);
            } catch (IOException e) {
                LOG.warn("INTRODUCE {}: cannot map its ring: {}", domid, e.getMessage());
                throw XsError.EIO.exception();
            }
            try {
                attachRing(d, mapping, port, -1, true);
            } catch (IOException e) {
                mapping.close();
                LOG.warn("INTRODUCE {}: cannot bind event channel {}: {}", domid, port, e.getMessage());
                throw XsError.EIO.exception();
            }
        }
        d.introduced = true;
        d.shutdownReported = false;
        d.gfn = gfn;
        domains.put(domid, d);
        released.introduced(domid);
        LOG.info("introduced domain {} (event channel {})", domid, port);
        server.persistence().domainStateChanged();
        if (domid != 0) {
            server.fireIntroduceDomain(domid);
        }
    }

    /**
     * Maps the domain's connection onto its ring: advertise features, settle the connection word (a dom0less guest
     * started before us finds RECONNECT there: we reset its ring), and say hello.
     */
    private void attachRing(Domain d, XenPlatform.RingMapping mapping, int remotePort, int inheritedLocal,
            boolean fresh) throws IOException {
        int local = inheritedLocal >= 0 ? inheritedLocal : channels.bindInterdomain(d.domid, remotePort);
        RingPage page = new RingPage(mapping.page());
        page.setServerFeatures(d.features);
        if (fresh) {
            if (page.connection() == RECONNECT) {
                page.resetIndexes();
            }
            page.setConnection(CONNECTED);
        }
        RingConnection conn = new RingConnection(server, d.domid, d.domid == 0, page, () -> channels.notify(local),
                gateFor(d.domid), storeThread);
        if (d.target != RingConnection.NO_TARGET) {
            conn.setTarget(d.target);
        }
        conn.setLocalPort(local);
        server.connect(conn);
        d.conn = conn;
        d.mapping = mapping;
        d.localPort = local;
        d.remotePort = remotePort;
        byLocalPort.put(local, d);
        channels.notify(local);
    }

    /** Dom0 is never rate-limited; guests get a token bucket unless the rate is 0 (off). */
    private RequestGate gateFor(int domid) {
        int rate = server.limits().writeRatePerSecond;
        if (domid == 0 || rate <= 0) {
            return RequestGate.OPEN;
        }
        return new WriteCredit(rate, server.limits().writeBurst, System.nanoTime());
    }

    /** INTRODUCE of a known domain (libxl after a soft reset): re-bind its channel and start afresh. */
    private void reintroduce(Domain d, int port) {
        if (channels != null && d.conn != null && port != d.remotePort) {
            try {
                int local = channels.bindInterdomain(d.domid, port);
                channels.unbind(d.localPort);
                byLocalPort.remove(d.localPort);
                d.localPort = local;
                d.remotePort = port;
                d.conn.setLocalPort(local);
                byLocalPort.put(local, d);
            } catch (IOException e) {
                LOG.warn("INTRODUCE {}: cannot re-bind event channel {}: {}", d.domid, port, e.getMessage());
                throw XsError.EIO.exception();
            }
        }
        if (d.conn != null && d.domid != 0) {
            server.resetConnection(d.conn);
        }
        server.persistence().domainStateChanged();
    }

    /**
     * Demo mode: does for a simulated guest what the toolstack does for a new domain: creates its home, owned by
     * it, with its name, then introduces it.
     */
    public void introduceDemoGuest(int domid, long gfn, int port) {
        String home = Paths.domainPath(domid);
        Tree live = server.store().live();
        live.write(home + "/name", ("demo-guest-" + domid).getBytes(StandardCharsets.US_ASCII), 0, false);
        live.mkdir(home + "/control", 0, false);
        live.setPerms(home, Perms.of(domid, Perms.NONE));
        live.setPerms(home + "/name", Perms.of(domid, Perms.NONE));
        live.setPerms(home + "/control", Perms.of(0, Perms.NONE).withReader(domid));
        introduce(domid, gfn, port);
        server.flushPending();
    }

    /**
     * RELEASE tears the domain down as its death does, whatever state Xen reports it in (C xenstored frees the domain
     * here too): the toolstack may release a domain that is dying or already destroyed, and VIRQ_DOM_EXC handling
     * looks only at introduced domains, so nothing else would clean up after it. A domain Xen still runs is watched
     * until it dies ({@link ReleasedDomains}).
     */
    @Override
    public void release(int domid) {
        Domain d = introducedOrThrow(domid);
        tearDown(d, "released domain {}: {} of its nodes {}");
        if (platform != null) {
            released.released(platform, domid);
        }
    }

    @Override
    public void resume(int domid) {
        introducedOrThrow(domid).shutdownReported = false;
        server.persistence().domainStateChanged();
    }

    @Override
    public void setTarget(int domid, int target) {
        Domain d = introducedOrThrow(domid);
        introducedOrThrow(target);
        d.target = target;
        if (d.conn != null) {
            d.conn.setTarget(target);
        }
        server.persistence().domainStateChanged();
    }

    @Override
    public long ringFrame(int domid) {
        Domain d = domains.get(domid);
        return d == null || !d.introduced ? -1 : d.gfn;
    }

    @Override
    public boolean isIntroduced(int domid) {
        Domain d = domains.get(domid);
        return d != null && d.introduced;
    }

    /** A domain's features; one the hypervisor reports but nobody configured has them all (C 4.22). */
    @Override
    public int features(int domid) {
        Domain d = domains.get(domid);
        if (d == null) {
            if (!mayExist(domid)) {
                throw XsError.ENOENT.exception();
            }
            return SUPPORTED_FEATURES;
        }
        return d.features;
    }

    /** C 4.22's order: an unknown domain ENOENT, an introduced one EBUSY, then unknown bits EINVAL. */
    @Override
    public void setFeatures(int domid, int features) {
        if (!domains.containsKey(domid) && !mayExist(domid)) {
            throw XsError.ENOENT.exception();
        }
        Domain d = domains.computeIfAbsent(domid, id -> new Domain(id, SUPPORTED_FEATURES));
        if (d.introduced) {
            throw XsError.EBUSY.exception();
        }
        if ((features & ~SUPPORTED_FEATURES) != 0) {
            throw XsError.EINVAL.exception();
        }
        d.features = features;
        server.persistence().domainStateChanged();
    }

    @Override
    public boolean mayExist(int domid) {
        if (!Domids.isValid(domid)) {
            return false;
        }
        if (platform == null || domid == 0) {
            return true;
        }
        try {
            return platform.domainInfo(domid).isPresent();
        } catch (IOException e) {
            return true; // cannot tell: do not refuse the toolstack
        }
    }

    private Domain introducedOrThrow(int domid) {
        Domain d = domains.get(domid);
        if (d == null || !d.introduced) {
            throw XsError.ENOENT.exception();
        }
        return d;
    }

    /**
     * VIRQ_DOM_EXC: some domain changed state. Fire @releaseDomain once per shutdown; forget dead domains entirely,
     * and drop the id of released ones that died from the store again (no event: RELEASE fired it, as in C). Iterates
     * over a copy: tearing one domain down never disturbs the walk (XSA-233/425).
     */
    void checkDomains() {
        for (int domid : released.takeDead(platform)) {
            int nodes = forgetInStore(domid);
            LOG.info("released domain {} is gone: its id is dropped from the store ({} nodes it owned {})", domid,
                    nodes, options.keepOrphans ? "kept" : "removed");
        }
        for (Domain d : new ArrayList<>(domains.values())) {
            if (d.domid == 0 || !d.introduced) {
                continue;
            }
            Optional<XenPlatform.DomainInfo> info;
            try {
                info = platform.domainInfo(d.domid);
            } catch (IOException e) {
                LOG.warn("cannot read the state of domain {}: {}", d.domid, e.getMessage());
                continue;
            }
            if (ReleasedDomains.dead(info)) {
                tearDown(d, "domain {} is gone: {} of its nodes {}");
            } else if (info.get().shutdown() && !d.shutdownReported) {
                d.shutdownReported = true;
                server.persistence().domainStateChanged();
                LOG.info("domain {} shut down (reason {})", d.domid, info.get().shutdownReason());
                server.fireReleaseDomain(d.domid);
            }
        }
    }

    /**
     * A domain died or was released: drop its connection (its watches, transactions, output and write credit go
     * with it), its features, its nodes and every trace of its id, then tell the watchers.
     */
    private void tearDown(Domain d, String logFormat) {
        detach(d);
        domains.remove(d.domid);
        int nodes = forgetInStore(d.domid);
        server.persistence().domainStateChanged();
        LOG.info(logFormat, d.domid, nodes, options.keepOrphans ? "kept" : "removed");
        server.fireReleaseDomain(d.domid);
    }

    /**
     * Removes the nodes {@code domid} owns (hands them to Dom0 with -K), its id from every permission list, and its
     * accounting and own quotas, so that a new domain with the id inherits none of it (XSA-322/419/483).
     *
     * @return the number of nodes removed or handed over
     */
    private int forgetInStore(int domid) {
        int nodes = DomainCleanup.forget(server.store().live(), domid, options.keepOrphans, server.dispatcher());
        server.forgetDomain(domid);
        return nodes;
    }

    /** Stops serving a domain's ring. Idempotent. */
    private void detach(Domain d) {
        if (d.conn != null) {
            d.conn.close();
            d.conn = null;
        }
        if (d.localPort >= 0) {
            byLocalPort.remove(d.localPort);
            channels.unbind(d.localPort);
            d.localPort = -1;
        }
        if (d.mapping != null) {
            d.mapping.close();
            d.mapping = null;
        }
    }
}
