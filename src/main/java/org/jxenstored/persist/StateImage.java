package org.jxenstored.persist;

import java.util.ArrayList;
import java.util.List;
import org.jxenstored.domain.Domains;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.jxenstored.store.Node;
import org.jxenstored.store.Paths;
import org.jxenstored.transport.ring.RingConnection;
import org.jxenstored.transport.ring.RingState;
import org.jxenstored.watch.Watch;

/**
 * The daemon's whole state at one instant, captured on the store thread in O(connections + watches): the tree is
 * immutable (its root), the rest is small and encoded or copied now. Written out later, on any thread, as a
 * migration stream ({@link StateStream}).
 *
 * @param root the tree
 * @param lastStamp the store's stamp counter
 * @param domainState the DOMAINS record (quotas, special nodes' permissions, domain table) as the journal encodes it
 * @param connections the domains' ring connections (and, for a live update, the socket ones)
 */
record StateImage(Node root, long lastStamp, byte[] domainState, List<Conn> connections) {
    /** A watch as registered: {@code path} relative to the domain's home when it was registered so. */
    record WatchImage(String path, String token, int depth) {
    }

    /**
     * A connection: a ring ({@code domid}, its local port, its traffic) or a socket ({@code fd} >= 0).
     *
     * @param target SET_TARGET's domain or -1
     */
    record Conn(int connId, int domid, int target, int localPort, int fd, RingState ring, byte[] inData,
            byte[] outData, List<WatchImage> watches, List<Integer> transactions) {
        boolean isRing() {
            return fd < 0;
        }
    }

    /** Captures the state; {@code domainState} comes from the persistence layer (one encoding of it). */
    static StateImage capture(Server server, byte[] domainState) {
        List<Conn> conns = new ArrayList<>();
        int id = 1;
        for (Connection c : server.connections()) {
            if (c instanceof RingConnection && !c.isClosed()) {
                RingConnection rc = (RingConnection) c;
                RingState s = rc.captureState();
                conns.add(new Conn(id++, c.domid(), c.target(), rc.localPort(), -1, s, s.inData(), s.outData(),
                        watches(c), new ArrayList<>(c.transactions().keySet())));
            }
        }
        // Dom0's ring first: C's reader creates its database there (design note 1.4)
        conns.sort((a, b) -> Integer.compare(a.domid() == 0 ? 0 : 1, b.domid() == 0 ? 0 : 1));
        return new StateImage(server.store().live().root(), server.store().stamps().last(), domainState, conns);
    }

    static List<WatchImage> watches(Connection c) {
        List<WatchImage> out = new ArrayList<>();
        for (Watch w : c.watches().all()) {
            String path = w.relativePrefix() > 0 ? w.path().substring(w.relativePrefix()) : w.path();
            out.add(new WatchImage(path, w.token(), w.depth()));
        }
        return out;
    }

    /** The canonical path and relative prefix of a watch registered by {@code domid} as {@code path}. */
    static String[] canonical(int domid, String path) {
        if (path.startsWith("/") || path.startsWith("@")) {
            return new String[] {path, "0"};
        }
        String home = Paths.domainPath(domid);
        return new String[] {home + "/" + path, Integer.toString(home.length() + 1)};
    }
}
