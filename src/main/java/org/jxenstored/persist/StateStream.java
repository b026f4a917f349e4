package org.jxenstored.persist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jxenstored.domain.DomainState;
import org.jxenstored.domain.Domains;
import org.jxenstored.migration.ConnectionData;
import org.jxenstored.migration.DomainData;
import org.jxenstored.migration.GlobalData;
import org.jxenstored.migration.GlobalQuotaData;
import org.jxenstored.migration.MigrationRecord;
import org.jxenstored.migration.MigrationVisitor;
import org.jxenstored.migration.MigrationWriter;
import org.jxenstored.migration.NodeData;
import org.jxenstored.migration.NodePerm;
import org.jxenstored.migration.StreamHeader;
import org.jxenstored.migration.TransactionData;
import org.jxenstored.migration.UnknownRecord;
import org.jxenstored.migration.WatchData;
import org.jxenstored.migration.WatchDataExtended;
import org.jxenstored.store.Node;
import org.jxenstored.store.Paths;
import org.jxenstored.store.Perms;
import org.jxenstored.store.TreeBuilder;
import org.jxenstored.store.TreeDiff;
import org.jxenstored.store.TreeRestore;
import org.jxenstored.transport.ring.RingState;

/**
 * The daemon's state as Xen's migration stream ({@code docs/designs/xenstore-migration.md}): the format of the
 * crash-restart snapshot, and of a live update's {@code state_dump}. Standard records carry what C xenstored knows
 * (GLOBAL, the connections with their pending bytes, watches, transactions, the nodes in pre-order with
 * {@code @introduceDomain}/{@code @releaseDomain} first, as C 4.17 writes them); private records, which C's readers
 * skip, carry what only jxenstored keeps: each node's stamps, each ring's indexes, the domain table and quotas.
 */
final class StateStream {
    /** Private record types ("JX" in the high half): C's readers log and skip them. */
    static final int JX_NODE_STAMPS = 0x4a580001;
    static final int JX_RING = 0x4a580002;
    static final int JX_DOMAINS = 0x4a580003;
    static final int JX_STAMP = 0x4a580004;
    static final int JX_BOOT = 0x4a580005;
    static final int JX_SETTINGS = 0x4a580006;
    static final int JX_WATCH_DEPTH = 0x4a580007;

    private StateStream() {
    }

    /**
     * Writes {@code image}.
     *
     * @param bootId the boot the state belongs to, or null (a live update's dump: it is read at once)
     * @param privateRecords whether to write jxenstored's own records (not for C xenstored: it logs each one it
     *     skips, a line per node)
     */
    static void write(StateImage image, MigrationWriter out, String bootId, int socketFd, int evtchnFd,
            boolean privateRecords) throws IOException {
        write(image, out, bootId, socketFd, evtchnFd, privateRecords, Map.of());
    }

    /** As above, with {@code settings} (a live update's run-time settings of other layers) in a private record. */
    static void write(StateImage image, MigrationWriter out, String bootId, int socketFd, int evtchnFd,
            boolean privateRecords, Map<String, String> settings) throws IOException {
        out.write(new GlobalData(socketFd, evtchnFd));
        if (bootId != null) {
            out.write(jx(JX_BOOT, new RecordBuffer(64).str(bootId)));
        }
        boolean v2 = out.options().version() >= StreamHeader.V2;
        for (StateImage.Conn c : image.connections()) {
            ConnectionData.Spec spec = c.isRing()
                    ? new ConnectionData.Ring(c.domid(), c.target() < 0 ? ConnectionData.DOMID_INVALID : c.target(),
                            Math.max(0, c.localPort()))
                    : new ConnectionData.Socket(c.fd());
            out.write(new ConnectionData(c.connId(), spec, c.inData(), c.outData(), c.outPartial(),
                    OptionalLong.empty()));
            if (c.ring() != null && privateRecords) {
                out.write(jx(JX_RING, new RecordBuffer(24).u32(c.connId()).u32(c.ring().reqCons())
                        .u32(c.ring().rspProd()).u64(Double.doubleToRawLongBits(c.ring().credit()))
                        .u32(c.ring().outPartial())));
            }
            for (StateImage.WatchImage w : c.watches()) {
                if (v2 && w.depth() >= 0) {
                    out.write(new WatchDataExtended(c.connId(), w.path(), w.token(), w.depth()));
                } else {
                    out.write(new WatchData(c.connId(), w.path(), w.token())); // v1: all depths (more events, none lost)
                    if (w.depth() >= 0 && privateRecords) { // a jxenstored successor keeps the depth exactly
                        out.write(jx(JX_WATCH_DEPTH, new RecordBuffer(64).u32(c.connId()).u32(w.depth())
                                .str(w.path()).str(w.token())));
                    }
                }
            }
            for (int tx : c.transactions()) {
                out.write(new TransactionData(c.connId(), tx));
            }
        }
        StateModel special = new StateModel();
        Records.replay(ByteBuffer.wrap(image.domainState()).order(ByteOrder.LITTLE_ENDIAN), special);
        out.write(NodeData.committed("@releaseDomain", nodePerms(special.releasePerms), null));
        out.write(NodeData.committed("@introduceDomain", nodePerms(special.introducePerms), null));
        writeNodes(image.root(), out, privateRecords);
        if (privateRecords && !settings.isEmpty()) {
            RecordBuffer b = new RecordBuffer(256).u32(settings.size());
            settings.forEach((k, v) -> b.str(k).str(v));
            out.write(jx(JX_SETTINGS, b));
        }
        if (privateRecords) {
            out.write(jx(JX_DOMAINS, bytes(image.domainState())));
            out.write(jx(JX_STAMP, new RecordBuffer(8).u64(image.lastStamp())));
        }
        out.end();
    }

    /**
     * The nodes in pre-order, each directory's children in creation order: C's reader appends each child to its
     * parent, so its listings come out in the order they had here.
     */
    private static void writeNodes(Node root, MigrationWriter out, boolean privateRecords) throws IOException {
        java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
        stack.push(new Object[] {"/", root});
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            String path = (String) top[0];
            Node n = (Node) top[1];
            writeNode(path, n, out, privateRecords);
            Node[] children = n.childrenInOrder();
            String prefix = path.equals("/") ? "/" : path + "/";
            for (int i = children.length - 1; i >= 0; i--) {
                stack.push(new Object[] {prefix + children[i].name(), children[i]});
            }
        }
    }

    private static void writeNode(String path, Node n, MigrationWriter out, boolean privateRecords)
            throws IOException {
        out.write(NodeData.committed(path, nodePerms(n.perms()), n.value()));
        if (!privateRecords) {
            return;
        }
        RecordBuffer stamps = new RecordBuffer(32).u64(n.generation()).u64(n.creationStamp());
        if (!representable(n.perms())) {
            stamps.u32(n.perms().size());
            for (int i = 0; i < n.perms().size(); i++) {
                stamps.u32(n.perms().domid(i)).u8(n.perms().rawMode(i));
            }
        }
        out.write(jx(JX_NODE_STAMPS, stamps));
    }

    private static RecordBuffer bytes(byte[] b) {
        RecordBuffer r = new RecordBuffer(b.length + 8);
        r.bytes(b);
        return r;
    }

    private static UnknownRecord jx(int type, RecordBuffer body) {
        ByteBuffer b = body.contents();
        byte[] padded = new byte[(b.remaining() + 7) & ~7];
        b.get(padded, 0, b.remaining());
        return new UnknownRecord(type, padded);
    }

    /** Whether the stream's 16-bit permission entries can carry {@code p} exactly. */
    private static boolean representable(Perms p) {
        for (int i = 0; i < p.size(); i++) {
            if (p.domid(i) < 0 || p.domid(i) > 0xffff) {
                return false;
            }
        }
        return true;
    }

    private static List<NodePerm> nodePerms(Perms p) {
        List<NodePerm> out = new ArrayList<>(p.size());
        for (int i = 0; i < p.size(); i++) {
            int domid = p.domid(i);
            if (domid < 0 || domid > 0xffff) {
                // an entry naming no domain (ignored): C can hold no such id; the private record keeps it exactly
                out.add(new NodePerm(NodePerm.Access.values()[p.mode(i)], true, 0x7ff4));
            } else {
                out.add(new NodePerm(NodePerm.Access.values()[p.mode(i)], p.ignored(i), domid));
            }
        }
        return out;
    }

    private static Perms perms(List<NodePerm> perms) {
        int[] domids = new int[perms.size()];
        byte[] modes = new byte[perms.size()];
        for (int i = 0; i < domids.length; i++) {
            NodePerm p = perms.get(i);
            domids[i] = p.domid();
            modes[i] = (byte) (p.access().mode() | (p.stale() ? 0x10 : 0));
        }
        return Perms.of(domids, modes);
    }

    /**
     * Reads a stream into {@code model}: ours (with its private records) exactly; one from C xenstored with fresh
     * stamps in stream order (C's creation order), as C's own reader does.
     */
    static final class Reader implements MigrationVisitor {
        private final StateModel model;
        private final Map<Integer, Integer> domidOfConn = new HashMap<>();
        private final Map<Integer, ConnectionData> rings = new HashMap<>();
        /** The ring connections by domain, in stream order: C's streams say no more of their domains. */
        private final Map<Integer, ConnectionData.Ring> ringSpecs = new java.util.LinkedHashMap<>();
        private boolean sawDomainTable;
        /** DOMAIN_DATA's features (C 4.21 and later). */
        private final Map<Integer, Integer> domainFeatures = new HashMap<>();
        /** The node read last, waiting for its stamps (a private record follows it in our streams). */
        private NodeData pending;
        private long counter;
        private boolean ended;
        /** The stream's nodes, in pre-order: the tree is built at once at the end. */
        private final TreeBuilder nodes = new TreeBuilder();
        /** One instance of each permission list: most nodes share a few (a million nodes, a handful of lists). */
        private final Map<Perms, Perms> shared = new HashMap<>();
        String bootId;

        Reader(StateModel model) {
            this.model = model;
        }

        boolean ended() {
            return ended;
        }

        @Override
        public void global(GlobalData g) {
            model.listeningFd = g.socketFd();
            model.evtchnFd = g.evtchnFd();
        }

        @Override
        public void connection(ConnectionData c) {
            flush();
            if (c.spec() instanceof ConnectionData.Socket socket) {
                model.sockets.put(c.connId(), new StateModel.SocketConn(socket.fd(), c.inData(), c.outData()));
            }
            if (c.spec() instanceof ConnectionData.Ring ring) {
                domidOfConn.put(c.connId(), ring.domid());
                rings.put(c.connId(), c);
                StateModel.Conn conn = model.conn(ring.domid());
                conn.ring = new RingState(0, c.inData(), 0, c.outData(), Double.NaN, c.outRespLen());
                conn.ringIndexesKnown = false;
                conn.localPort = ring.evtchn();
                ringSpecs.put(ring.domid(), ring);
            }
        }

        /** C 4.21+: its quotas; those applying to each domain are jxenstored's limits. */
        @Override
        public void globalQuota(GlobalQuotaData q) {
            flush();
            if (model.globalQuotas == null) {
                model.globalQuotas = new java.util.LinkedHashMap<>();
            }
            q.domainQuotas().forEach(v -> model.globalQuotas.put(v.name(), clamp(v.value())));
        }

        /** C 4.21+: a domain's features and own quotas. */
        @Override
        public void domain(DomainData d) {
            flush();
            domainFeatures.put(d.domid(), (int) d.features() & Domains.SUPPORTED_FEATURES);
            if (!d.quotas().isEmpty()) {
                Map<String, Integer> own = model.accounts.computeIfAbsent(d.domid(),
                        k -> new java.util.LinkedHashMap<>());
                d.quotas().forEach(v -> own.put(v.name(), clamp(v.value())));
            }
        }

        private static int clamp(long v) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, v));
        }

        @Override
        public void watch(WatchData w) {
            addWatch(w.connId(), w.path(), w.token(), -1);
        }

        @Override
        public void watchExtended(WatchDataExtended w) {
            addWatch(w.connId(), w.path(), w.token(), w.depth() == WatchDataExtended.UNLIMITED ? -1 : w.depth());
        }

        private void addWatch(int connId, String path, String token, int depth) {
            flush();
            StateModel.Conn conn = connOf(connId);
            if (conn != null) {
                String[] canonical = StateImage.canonical(domidOf(connId), path);
                conn.addWatch(canonical[0], token, depth, Integer.parseInt(canonical[1]));
            }
        }

        @Override
        public void transaction(TransactionData t) {
            flush();
            StateModel.Conn conn = connOf(t.connId());
            if (conn != null) {
                conn.transactions.add(t.txId());
            }
        }

        /** A ring connection's record by its domain, or an inherited socket's; null for an unknown id. */
        private StateModel.Conn connOf(int connId) {
            Integer domid = domidOfConn.get(connId);
            if (domid != null) {
                return model.conn(domid);
            }
            StateModel.SocketConn s = model.sockets.get(connId);
            return s == null ? null : s.conn;
        }

        /** The domain a connection acts for: a ring's, Dom0 for a socket. */
        private int domidOf(int connId) {
            return domidOfConn.getOrDefault(connId, 0);
        }

        @Override
        public void node(NodeData n) {
            flush();
            if (n.pending()) {
                return; // a transaction's change: transactions restart doomed, their changes are not kept
            }
            pending = n;
        }

        @Override
        public void unknown(UnknownRecord r) {
            ByteBuffer b = ByteBuffer.wrap(r.body()).order(ByteOrder.LITTLE_ENDIAN);
            switch (r.type()) {
                case JX_NODE_STAMPS:
                    if (pending != null) {
                        long generation = b.getLong();
                        long created = b.getLong();
                        Perms exact = b.remaining() >= 4 && b.getInt(b.position()) > 0 ? readExactPerms(b) : null;
                        apply(pending, generation, created, exact);
                        pending = null;
                    }
                    break;
                case JX_RING: {
                    flush();
                    int connId = b.getInt();
                    Integer domid = domidOfConn.get(connId);
                    if (domid != null) {
                        ConnectionData c = rings.get(connId);
                        StateModel.Conn conn = model.conn(domid);
                        int reqCons = b.getInt();
                        int rspProd = b.getInt();
                        double credit = Double.longBitsToDouble(b.getLong());
                        int outPartial = b.remaining() >= 4 ? b.getInt() : c.outRespLen();
                        conn.ring = new RingState(reqCons, c.inData(), rspProd, c.outData(), credit, outPartial);
                        conn.ringIndexesKnown = true;
                    }
                    break;
                }
                case JX_DOMAINS:
                    flush();
                    sawDomainTable = true;
                    model.tableDescribesConnections = true;
                    Records.replay(ByteBuffer.wrap(RecordBuffer.byteString(b)).order(ByteOrder.LITTLE_ENDIAN), model);
                    model.tableDescribesConnections = false;
                    break;
                case JX_STAMP:
                    flush();
                    model.lastStamp = Math.max(model.lastStamp, b.getLong());
                    break;
                case JX_BOOT:
                    bootId = RecordBuffer.string(b);
                    break;
                case JX_WATCH_DEPTH: {
                    flush();
                    int connId = b.getInt();
                    int depth = b.getInt();
                    String path = RecordBuffer.string(b);
                    addWatch(connId, path, RecordBuffer.string(b), depth);
                    break;
                }
                case JX_SETTINGS: {
                    flush();
                    int n = b.getInt();
                    for (int i = 0; i < n; i++) {
                        model.settings.put(RecordBuffer.string(b), RecordBuffer.string(b));
                    }
                    break;
                }
                default:
                    flush(); // someone else's record: skipped, as C's reader does
            }
        }

        private static Perms readExactPerms(ByteBuffer b) {
            int n = b.getInt();
            int[] domids = new int[n];
            byte[] modes = new byte[n];
            for (int i = 0; i < n; i++) {
                domids[i] = b.getInt();
                modes[i] = b.get();
            }
            return Perms.of(domids, modes);
        }

        @Override
        public void end() {
            flush();
            ended = true;
            if (!sawDomainTable) {
                domainsOfRings();
            }
            Node root = nodes.finish();
            if (root != null) {
                model.tree = new TreeRestore(root);
                model.lastStamp = Math.max(model.lastStamp, nodes.lastStamp());
            }
        }

        /**
         * A C stream's domains: one per ring connection, with its target. How to reach it again after a crash (the
         * guest's port, the ring's frame) is not in the stream: the successor asks Xen ({@code Domains.restore}).
         * Features: C 4.21+'s DOMAIN_DATA's; else all jxenstored offers, as for a domain it introduces (C 4.17
         * offered none; offering more is allowed, withdrawing is not).
         */
        private void domainsOfRings() {
            Map<Integer, DomainState> table = new java.util.LinkedHashMap<>();
            ringSpecs.forEach((domid, ring) -> table.put(domid, new DomainState(domid, DomainState.UNKNOWN,
                    (int) DomainState.UNKNOWN, ring.targetDomid() == ConnectionData.DOMID_INVALID
                            ? org.jxenstored.store.Caller.NO_TARGET : ring.targetDomid(),
                    domainFeatures.getOrDefault(domid, Domains.SUPPORTED_FEATURES), false)));
            model.domains = table;
        }

        /** Applies a node that came without stamps (a C stream): fresh ones, in stream order. */
        private void flush() {
            if (pending != null) {
                long stamp = Math.max(counter, model.lastStamp) + 1;
                apply(pending, stamp, stamp, null);
                pending = null;
            }
        }

        private void apply(NodeData n, long generation, long created, Perms exact) {
            counter = Math.max(counter, Math.max(generation, created));
            Perms read = exact != null ? exact : perms(n.perms());
            Perms p = shared.computeIfAbsent(read, k -> k);
            if (n.path().equals("@releaseDomain")) {
                model.releasePerms = p;
            } else if (n.path().equals("@introduceDomain")) {
                model.introducePerms = p;
            } else if (n.path().startsWith("/")) {
                if (!n.path().equals("/") && !Paths.isValid(n.path())) {
                    throw new IllegalStateException("invalid node path " + n.path());
                }
                nodes.add(n.path(), n.value(), p, generation, created);
            }
            model.lastStamp = Math.max(model.lastStamp, counter);
        }
    }

    /** Reads one whole stream record by record into {@code model}; the reader tells whether it ended. */
    static Reader read(org.jxenstored.migration.MigrationReader in, StateModel model) throws IOException {
        Reader r = new Reader(model);
        for (MigrationRecord rec = in.next(); rec != null; rec = in.next()) {
            MigrationVisitor.dispatch(rec, r);
        }
        return r;
    }

    static String describe(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
