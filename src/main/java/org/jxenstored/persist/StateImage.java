package org.jxenstored.persist;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jxenstored.protocol.XsMessage;
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
            byte[] outData, int outPartial, List<WatchImage> watches, List<Integer> transactions) {
        boolean isRing() {
            return fd < 0;
        }
    }

    /** What a live update adds: the socket connections, and the reply its successor sends. */
    record Handover(Connection connection, XsMessage reply) {
    }

    /**
     * Captures the state; {@code domainState} is the DOMAINS record. With a {@code handover} (a live update), the
     * socket connections that can be inherited are captured too, each with the requests held for after the update
     * as its input and its waiting output, the live-update connection's ending with the reply to its request.
     */
    static StateImage capture(Server server, byte[] domainState, Handover handover) {
        List<Conn> conns = new ArrayList<>();
        int id = 1;
        for (Connection c : server.connections()) {
            if (c.isClosed()) {
                continue;
            }
            if (c instanceof RingConnection) {
                RingConnection rc = (RingConnection) c;
                RingState s = rc.captureState();
                conns.add(new Conn(id++, c.domid(), c.target(), rc.localPort(), -1, s, s.inData(), s.outData(),
                        s.outPartial(), watches(c), new ArrayList<>(c.transactions().keySet())));
            } else if (handover != null && c.inheritableFd() >= 0) {
                // the transport's unwritten bytes first, then what waits in the server, then the reply; the held
                // requests first, then the bytes of the next one read so far
                List<XsMessage> out = new ArrayList<>();
                c.forEachWaiting(out::add);
                if (c == handover.connection()) {
                    out.add(handover.reply());
                }
                Connection.TransportBytes transport = c.transportBytes();
                conns.add(new Conn(id++, c.domid(), c.target(), -1, c.inheritableFd(), null,
                        concat(frames(server.heldRequests(c)), transport.in()), concat(transport.out(), frames(out)),
                        transport.outPartial(), watches(c), new ArrayList<>(c.transactions().keySet())));
            }
        }
        // Dom0's ring first: C's reader creates its database there (design note 1.4)
        conns.sort((a, b) -> Integer.compare(a.domid() == 0 ? 0 : 1, b.domid() == 0 ? 0 : 1));
        return new StateImage(server.store().live().root(), server.store().stamps().last(), domainState, conns);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Messages as they go on the wire: header (four little-endian u32) and payload, one after the other. */
    static byte[] frames(List<XsMessage> messages) {
        int size = 0;
        for (XsMessage m : messages) {
            size += XsMessage.HEADER_SIZE + m.payload.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (XsMessage m : messages) {
            b.putInt(m.type).putInt(m.reqId).putInt(m.txId).putInt(m.payload.length).put(m.payload);
        }
        return b.array();
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
