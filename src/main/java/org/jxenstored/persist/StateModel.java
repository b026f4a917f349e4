package org.jxenstored.persist;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jxenstored.domain.DomainState;
import org.jxenstored.store.Perms;
import org.jxenstored.store.TreeRestore;
import org.jxenstored.transport.ring.RingState;

/** The daemon's kept state as replaying a snapshot and the journal rebuilds it, before it is applied. */
final class StateModel {
    /** The tree: a snapshot's, built at once, then changed record by record by the journal. */
    TreeRestore tree = new TreeRestore(TreeRestore.emptyRoot());
    long lastStamp;
    /** Null until a DOMAINS record was read (a state without one is incomplete). */
    Map<String, Integer> globalQuotas;
    final Map<Integer, Map<String, Integer>> accounts = new LinkedHashMap<>();
    Perms introducePerms;
    Perms releasePerms;
    Map<Integer, DomainState> domains = new LinkedHashMap<>();
    /** Per domid: what its ring connection had. */
    final Map<Integer, Conn> conns = new LinkedHashMap<>();
    /** A live update's inherited sockets, by connection id: the listening one, and the clients. */
    int listeningFd = -1;
    int evtchnFd = -1;
    /** A live update's run-time settings of other layers (the access log's), opaque here. */
    final Map<String, String> settings = new LinkedHashMap<>();
    final Map<Integer, SocketConn> sockets = new LinkedHashMap<>();

    /** An inherited socket connection: its descriptor, and what it had (watches and transactions in {@link #conn}). */
    static final class SocketConn {
        final int fd;
        final byte[] inData;
        final byte[] outData;
        final Conn conn = new Conn();

        SocketConn(int fd, byte[] inData, byte[] outData) {
            this.fd = fd;
            this.inData = inData;
            this.outData = outData;
        }
    }

    /** A domain's ring connection. */
    static final class Conn {
        /** Keyed by path NUL token, in registration order. */
        final Map<String, Watch> watches = new LinkedHashMap<>();
        final Set<Integer> transactions = new LinkedHashSet<>();
        RingState ring;
        /** The local event channel port the predecessor had bound for it (a live update's CONN record), or -1. */
        int localPort = -1;
        /**
         * Whether {@link #ring}'s indexes are the ones its data starts from (ours), or unknown (a C stream, whose data
         * starts from the ring as it is).
         */
        boolean ringIndexesKnown = true;
        /** The input position of a request that was being served when the journal ends, or null. */
        Integer serving;
        /** The input position of a request a previous restart found being served at its crash, or null. */
        Integer suspect;

        /** Whether the request being served at this crash was also being served at the one before: refuse it. */
        boolean quarantine() {
            return serving != null && serving.equals(suspect);
        }

        void addWatch(String path, String token, int depth, int relativePrefix) {
            watches.put(path + '\0' + token, new Watch(path, token, depth, relativePrefix));
        }

        void removeWatch(String path, String token) {
            watches.remove(path + '\0' + token);
        }
    }

    record Watch(String path, String token, int depth, int relativePrefix) {
    }

    Conn conn(int domid) {
        return conns.computeIfAbsent(domid, d -> new Conn());
    }

    /**
     * Whether a domain table describes the connections read so far (a snapshot, where it comes after them) rather
     * than a change after them (the journal, where a domain new to the table starts with a fresh connection).
     */
    boolean tableDescribesConnections;

    /** A new table of domains: the connections of domains no longer in it go (released, dead). */
    void setDomains(Map<Integer, DomainState> table) {
        conns.keySet().removeIf(domid -> !table.containsKey(domid));
        if (tableDescribesConnections) {
            domains = table;
            return;
        }
        // a domain introduced anew (not in the old table) starts with a fresh connection
        for (Integer domid : table.keySet()) {
            if (!domains.containsKey(domid)) {
                conns.remove(domid);
            }
        }
        domains = table;
    }
}
