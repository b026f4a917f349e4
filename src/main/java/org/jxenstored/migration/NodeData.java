package org.jxenstored.migration;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * NODE_DATA ({@code xs_state_node}): one node, committed or pending in a transaction.
 *
 * <pre>
 *  0: conn-id u32 | 4: tx-id u32 | 8: path-len u16 (with NUL) | 10: value-len u16 | 12: access u16 | 14: perm-count u16
 * 16: perm-count permission entries of 4 bytes ({@link NodePerm})
 *     path NUL, value, pad to 8
 * </pre>
 *
 * <p>A committed node has {@code connId} 0; {@code txId} and {@code access} are then meaningless (C writes 0) but
 * kept as read, so that a stream reads and writes back unchanged. A pending node ({@code connId} not 0) belongs to
 * the transaction {@code txId} of that connection, whose TRANSACTION_DATA record comes earlier; {@code access} is
 * an OR of {@link #ACCESS_READ} and {@link #ACCESS_WRITTEN}; a node the transaction deleted has no permissions, no
 * value and access 0. C's readers put every NODE record in the committed tree, pending or not.
 *
 * <p>C 4.17 writes {@code @releaseDomain} and {@code @introduceDomain} as nodes too (their permissions, no value)
 * before the tree, which follows in pre-order.
 *
 * @param connId 0 for a committed node
 * @param txId the transaction of a pending node
 * @param access the accesses of a pending node
 * @param perms the permissions, owner first; at least one for a node that exists
 * @param path the absolute path ({@code /...}) or a special node's name ({@code @...}); a byte string
 * @param value the value, up to 65535 bytes, any bytes
 */
public record NodeData(int connId, int txId, int access, List<NodePerm> perms, String path, byte[] value)
        implements MigrationRecord {
    /** Pending node access bit: read in the transaction. */
    public static final int ACCESS_READ = 0x0001;
    /** Pending node access bit: written in the transaction. */
    public static final int ACCESS_WRITTEN = 0x0002;

    private static final byte[] EMPTY = new byte[0];

    public NodeData {
        Wire.checkCString(path, "node path");
        if (path.isEmpty() || (path.charAt(0) != '/' && path.charAt(0) != '@')) {
            throw new IllegalArgumentException("node path neither absolute nor special: " + Wire.quote(path));
        }
        value = value == null ? EMPTY : value;
        Wire.checkU16(value.length, "node value length");
        perms = List.copyOf(perms);
        Wire.checkU16(perms.size(), "node permission count");
        Wire.checkU16(access, "node access");
        if (connId == 0) {
            if (perms.isEmpty()) {
                throw new IllegalArgumentException("committed node " + Wire.quote(path) + " without permissions");
            }
        } else {
            if ((access & ~(ACCESS_READ | ACCESS_WRITTEN)) != 0) {
                throw new IllegalArgumentException("pending node access 0x" + Integer.toHexString(access));
            }
            if (perms.isEmpty() && (value.length != 0 || access != 0)) {
                throw new IllegalArgumentException("deleted pending node " + Wire.quote(path)
                        + " with a value or an access");
            }
        }
    }

    /** A committed node. */
    public static NodeData committed(String path, List<NodePerm> perms, byte[] value) {
        return new NodeData(0, 0, 0, perms, path, value);
    }

    /** Whether this node is pending in a transaction. */
    public boolean pending() {
        return connId != 0;
    }

    /** The owner: the first permission entry's domain. */
    public int owner() {
        return perms.isEmpty() ? -1 : perms.get(0).domid();
    }

    @Override
    public int type() {
        return RecordType.NODE_DATA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeData n && connId == n.connId && txId == n.txId && access == n.access
                && perms.equals(n.perms) && path.equals(n.path) && Arrays.equals(value, n.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connId, txId, access, perms, path, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NODE ").append(Wire.quote(path)).append(" perms=");
        for (int i = 0; i < perms.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(perms.get(i));
        }
        if (value.length > 0) {
            sb.append(" value=").append(Wire.quote(value));
        }
        if (connId != 0 || txId != 0 || access != 0) {
            sb.append(" conn=").append(Integer.toUnsignedString(connId)).append(" tx=")
                    .append(Integer.toUnsignedString(txId)).append(" access=").append(access);
        }
        return sb.toString();
    }
}
