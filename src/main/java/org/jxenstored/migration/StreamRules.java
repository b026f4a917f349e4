package org.jxenstored.migration;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules between records that reader and writer both enforce, so that whatever the writer writes the reader
 * reads: at most one GLOBAL_DATA; connection ids unique; a WATCH or TRANSACTION record after the CONNECTION_DATA
 * it names; transaction ids unique per connection; a pending NODE after its TRANSACTION_DATA; at most one
 * DOMAIN_DATA per domain. Memory grows with connections and transactions, not with nodes.
 */
final class StreamRules {
    private boolean global;
    private final Set<Integer> connections = new HashSet<>();
    private final Set<Long> transactions = new HashSet<>();
    private final BitSet domains = new BitSet();

    /** Checks {@code r} against the records before it and records it; returns the violation, or null. */
    String accept(MigrationRecord r) {
        if (r instanceof NodeData n) {
            if (n.connId() != 0 && !transactions.contains(key(n.connId(), n.txId()))) {
                return "pending node " + Wire.quote(n.path()) + " of transaction " + Integer.toUnsignedString(n.txId())
                        + " on connection " + Integer.toUnsignedString(n.connId())
                        + " without an earlier TRANSACTION_DATA";
            }
        } else if (r instanceof ConnectionData c) {
            if (!connections.add(c.connId())) {
                return "second CONNECTION_DATA with id " + Integer.toUnsignedString(c.connId());
            }
        } else if (r instanceof WatchData w) {
            return knownConnection(w.connId(), "WATCH_DATA");
        } else if (r instanceof WatchDataExtended w) {
            return knownConnection(w.connId(), "WATCH_DATA_EXTENDED");
        } else if (r instanceof TransactionData t) {
            String bad = knownConnection(t.connId(), "TRANSACTION_DATA");
            if (bad != null) {
                return bad;
            }
            if (!transactions.add(key(t.connId(), t.txId()))) {
                return "second TRANSACTION_DATA for transaction " + Integer.toUnsignedString(t.txId())
                        + " of connection " + Integer.toUnsignedString(t.connId());
            }
        } else if (r instanceof GlobalData) {
            if (global) {
                return "second GLOBAL_DATA";
            }
            global = true;
        } else if (r instanceof DomainData d) {
            if (domains.get(d.domid())) {
                return "second DOMAIN_DATA for domain " + d.domid();
            }
            domains.set(d.domid());
        }
        return null;
    }

    private String knownConnection(int connId, String what) {
        return connections.contains(connId) ? null
                : what + " for connection " + Integer.toUnsignedString(connId) + " without an earlier CONNECTION_DATA";
    }

    private static long key(int connId, int txId) {
        return ((long) connId << 32) | Integer.toUnsignedLong(txId);
    }
}
