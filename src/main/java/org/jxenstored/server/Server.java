package org.jxenstored.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.store.Store;
import org.jxenstored.watch.Watch;
import org.jxenstored.watch.WatchDispatcher;
import org.jxenstored.watch.WatchIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's state behind the transports: the store, the watches, the connections, and the request handler.
 * Everything here runs on the one store thread; transports hand it whole messages.
 */
public final class Server {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private final Limits limits;
    private final QuotaPolicy quotas;
    private final Store store;
    private final SnapshotLimiter snapshots;
    private final WatchIndex watchIndex = new WatchIndex();
    private final WatchDispatcher dispatcher;
    private ControlHandler control = ControlHandler.NONE;
    private LiveUpdateGate liveUpdate = LiveUpdateGate.NONE;
    private final HeldRequests held = new HeldRequests();
    private final SpecialNodes specialNodes = new SpecialNodes();
    private final WatchRegistry watches;
    private final OpenTransactions transactions;
    private final RequestHandler handler;
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final List<Connection> pendingFlush = new ArrayList<>();
    private TrafficObserver observer = TrafficObserver.NONE;
    private RequestStats requestStats = RequestStats.NONE;
    private final ServerCounters counters = new ServerCounters();
    private DomainRegistry domains = new NoDomains();
    private Persistence persistence = Persistence.NONE;

    public Server(Limits limits) {
        this.limits = limits;
        this.quotas = new QuotaPolicy(limits);
        this.store = new Store(quotas);
        quotas.watchUsage(store.usage());
        quotas.adopt(0); // Dom0 is known from the start, with the configured values (C: dom0_init)
        store.usage().onChange(quotas::noteOwnership);
        store.usage().forEach((domid, u) -> quotas.noteOwnership(domid));
        this.snapshots = new SnapshotLimiter(store, quotas, limits);
        this.dispatcher = new WatchDispatcher(watchIndex, store.live());
        this.watches = new WatchRegistry(watchIndex, quotas, this);
        this.transactions = new OpenTransactions(store, quotas, snapshots, this);
        this.handler = new RequestHandler(this);
    }

    public Limits limits() {
        return limits;
    }

    public QuotaPolicy quotas() {
        return quotas;
    }

    /**
     * Forgets everything kept per domain id outside the tree once the domain is gone (XSA-322/483): accounting, own
     * quotas, and its entries in the special nodes' permissions.
     */
    public void forgetDomain(int domid) {
        store.usage().forget(domid);
        quotas.forget(domid);
        specialNodes.forget(domid);
        counters.forgetDomain(domid);
    }

    /**
     * C's {@code find_or_alloc_existing_domain}: whether {@code domid} is a domain, one introduced or one the
     * hypervisor reports; if so it is known from now on (its quota values are taken from the global ones now). A
     * domain known before but gone since is forgotten.
     */
    public boolean meetDomain(int domid) {
        if (domains.isIntroduced(domid) || domains.mayExist(domid)) {
            quotas.adopt(domid);
            return true;
        }
        quotas.forget(domid);
        return false;
    }

    public Store store() {
        return store;
    }

    SnapshotLimiter snapshots() {
        return snapshots;
    }

    /** Estimated bytes of old node versions the views of a connection's open transactions keep alive. */
    public long keptAliveBySnapshots(Connection c) {
        return snapshots.keptAlive(c);
    }

    /** Transaction views dropped because they kept too much alive (see {@link SnapshotLimiter}). */
    public long transactionViewsDropped() {
        return snapshots.viewsDropped;
    }

    public WatchIndex watchIndex() {
        return watchIndex;
    }

    public WatchDispatcher dispatcher() {
        return dispatcher;
    }

    public SpecialNodes specialNodes() {
        return specialNodes;
    }

    /** Fires {@code @introduceDomain} for a newly introduced domain (the domain layer calls this). */
    public void fireIntroduceDomain(int domid) {
        dispatcher.fireDomainEvent(SpecialNodes.INTRODUCE_DOMAIN, specialNodes.perms(SpecialNodes.INTRODUCE_DOMAIN),
                domid);
    }

    /** Fires {@code @releaseDomain} for a domain that shut down, died or was released (the domain layer calls this). */
    public void fireReleaseDomain(int domid) {
        dispatcher.fireDomainEvent(SpecialNodes.RELEASE_DOMAIN, specialNodes.perms(SpecialNodes.RELEASE_DOMAIN), domid);
    }

    /** What serves XS_CONTROL. */
    public ControlHandler control() {
        return control;
    }

    /** Installs the operator commands (the composition root does). */
    public void setControl(ControlHandler control) {
        this.control = control;
    }

    /** Whether a live update is pending (TRANSACTION_STARTs are held then). */
    public LiveUpdateGate liveUpdate() {
        return liveUpdate;
    }

    /** Installs the live update's gate (the composition root does, with the control commands). */
    public void setLiveUpdate(LiveUpdateGate gate) {
        this.liveUpdate = gate == null ? LiveUpdateGate.NONE : gate;
    }

    HeldRequests heldRequests() {
        return held;
    }

    /** The requests of {@code c} held while a live update is pending, oldest first. */
    public List<XsMessage> heldRequests(Connection c) {
        return held.of(c);
    }

    /** Serves the requests held while a live update was pending (it is over) and flushes their replies. */
    public void serveHeldRequests() {
        if (!held.isEmpty()) {
            held.serveAll(handler);
            flushPending();
        }
    }

    /** Checks every invariant of the daemon's state; what is wrong, one line each (empty: all holds). */
    public List<String> check() {
        return InvariantCheck.problems(this);
    }

    public RequestHandler handler() {
        return handler;
    }

    public Set<Connection> connections() {
        return connections;
    }

    public DomainRegistry domains() {
        return domains;
    }

    /** Installs the domain layer (the daemon does this at start). */
    public void setDomains(DomainRegistry domains) {
        this.domains = domains;
    }

    public Persistence persistence() {
        return persistence;
    }

    /** Installs the persistence layer (the daemon does this at start, after any recovery). */
    public void setPersistence(Persistence persistence) {
        this.persistence = persistence == null ? Persistence.NONE : persistence;
    }

    /** Replaces the store by a restored tree (see {@link Store#restore}), its owners' accounting included. */
    public void restoreStore(org.jxenstored.store.Node root, long lastStamp) {
        store.restore(root, lastStamp);
        store.usage().forEach((domid, u) -> quotas.noteOwnership(domid));
    }

    /**
     * Re-registers a watch of a restored connection, without the initial event (the restart fires every restored
     * watch once, separately).
     */
    public Watch restoreWatch(Connection c, String path, String token, int depth, int relativePrefix) {
        Watch w = new Watch(c, path, token, depth, relativePrefix);
        watches.add(c, w);
        return w;
    }

    /**
     * Re-opens a transaction of a restored connection under its old id, doomed: what it read is gone, so its commit
     * fails with EAGAIN and the client retries, as after any conflict.
     */
    public void restoreTransaction(Connection c, int id) {
        transactions.restore(c, id);
    }

    public TrafficObserver observer() {
        return observer;
    }

    /** Installs the observer of all traffic (the access log); {@link TrafficObserver#NONE} to remove it. */
    public void setObserver(TrafficObserver observer) {
        this.observer = observer == null ? TrafficObserver.NONE : observer;
    }

    public RequestStats requestStats() {
        return requestStats;
    }

    /** Installs the request statistics (the composition root does); {@link RequestStats#NONE} to remove them. */
    public void setRequestStats(RequestStats stats) {
        this.requestStats = stats == null ? RequestStats.NONE : stats;
    }

    /** Transactions, and the counts of connections that have closed (see {@link ServerCounters}). */
    public ServerCounters counters() {
        return counters;
    }

    WatchRegistry watches() {
        return watches;
    }

    OpenTransactions transactions() {
        return transactions;
    }

    /** Starts serving a connection made for this server. */
    public void connect(Connection c) {
        c.markConnected();
        connections.add(c);
        observer.connected(c);
        LOG.debug("{} connected", c);
    }

    /** Releases everything a connection holds. Idempotent, and safe while others are being served. */
    void disconnect(Connection c) {
        if (!c.markClosed()) {
            return;
        }
        watches.removeAll(c);
        transactions.endAll(c);
        connections.remove(c);
        counters.retire(c);
        observer.disconnected(c);
        LOG.debug("{} disconnected", c);
    }

    /**
     * Drops a connection's watches, transactions and waiting output but keeps it open (ring reconnection, and
     * RESET_WATCHES-like resets of a domain's connection).
     */
    public void resetConnection(Connection c) {
        watches.removeAll(c);
        transactions.endAll(c);
        c.discardWaiting();
        if (c.survivesRestart()) {
            persistence.connectionReset(c);
        }
    }

    /** Notes that {@code c} has queued output; {@link #flushPending()} pushes it out once per batch of input. */
    public void markPendingFlush(Connection c) {
        pendingFlush.add(c);
    }

    /** Keeps what this batch changed (see {@link Persistence#commit()}), then lets its output go. */
    public void flushPending() {
        persistence.commit();
        for (int i = 0; i < pendingFlush.size(); i++) {
            pendingFlush.get(i).flush();
        }
        pendingFlush.clear();
    }
}
