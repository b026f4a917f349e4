package org.jxenstored.migration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

/** Random well-formed streams (every record type, every field range), in an order the rules allow. */
final class RandomStreams {
    private RandomStreams() {
    }

    /** Records of a stream of {@code version}, END excluded. */
    static List<MigrationRecord> generate(Random rnd, int version) {
        List<MigrationRecord> out = new ArrayList<>();
        if (rnd.nextInt(4) > 0) {
            out.add(new GlobalData(rnd.nextInt(100) - 1, rnd.nextInt(100) - 1));
        }
        List<int[]> transactions = new ArrayList<>();
        int conns = rnd.nextInt(5);
        for (int c = 1; c <= conns; c++) {
            int connId = rnd.nextBoolean() ? c : rnd.nextInt() | 1 << 30; // ids are any non-zero u32
            out.add(connection(rnd, connId));
            for (int w = rnd.nextInt(4); w > 0; w--) {
                if (version >= StreamHeader.V2 && rnd.nextBoolean()) {
                    out.add(new WatchDataExtended(connId, path(rnd, rnd.nextBoolean()), string(rnd, 12),
                            rnd.nextBoolean() ? WatchDataExtended.UNLIMITED : rnd.nextInt(0x10000)));
                } else {
                    out.add(new WatchData(connId, path(rnd, rnd.nextBoolean()), string(rnd, 12)));
                }
            }
            for (int t = rnd.nextInt(3); t > 0; t--) {
                int txId = rnd.nextInt(1000) + 1 + 1000 * t;
                out.add(new TransactionData(connId, txId));
                transactions.add(new int[] {connId, txId});
            }
        }
        List<MigrationRecord> rest = new ArrayList<>();
        for (int n = rnd.nextInt(25); n > 0; n--) {
            rest.add(NodeData.committed(rnd.nextInt(8) == 0 ? "@" + string(rnd, 10) : path(rnd, true),
                    perms(rnd, 1 + rnd.nextInt(4)), bytes(rnd, rnd.nextInt(8) == 0 ? 300 : 20)));
        }
        for (int[] t : transactions) {
            for (int n = rnd.nextInt(3); n > 0; n--) {
                if (rnd.nextBoolean()) {
                    rest.add(new NodeData(t[0], t[1], 1 + rnd.nextInt(3), perms(rnd, 1 + rnd.nextInt(3)),
                            path(rnd, true), bytes(rnd, 10)));
                } else {
                    rest.add(new NodeData(t[0], t[1], 0, List.of(), path(rnd, true), null));
                }
            }
        }
        if (rnd.nextBoolean()) {
            rest.add(new GlobalQuotaData(quotas(rnd), quotas(rnd)));
        }
        List<Integer> domids = new ArrayList<>(List.of(0, 1, 5, 9, 32751, rnd.nextInt(0x7ff0)));
        Collections.shuffle(domids, rnd);
        for (int d = rnd.nextInt(3); d > 0; d--) {
            int domid = domids.remove(0);
            if (rest.stream().noneMatch(r -> r instanceof DomainData dd && dd.domid() == domid)) {
                rest.add(new DomainData(domid, version >= StreamHeader.V2 ? rnd.nextInt() & 0xffffffffL : 0,
                        quotas(rnd)));
            }
        }
        for (int u = rnd.nextInt(3); u > 0; u--) {
            int type = rnd.nextBoolean() ? 9 + rnd.nextInt(100) : rnd.nextInt() | 0x80000000;
            int len = rnd.nextInt(4) * 8;
            rest.add(new UnknownRecord(type, bytes(rnd, len, len)));
        }
        Collections.shuffle(rest, rnd);
        out.addAll(rest);
        return out;
    }

    private static ConnectionData connection(Random rnd, int connId) {
        ConnectionData.Spec spec = rnd.nextBoolean()
                ? new ConnectionData.Ring(rnd.nextInt(0x7ff0),
                        rnd.nextBoolean() ? ConnectionData.DOMID_INVALID : rnd.nextInt(0x7ff0), rnd.nextInt())
                : new ConnectionData.Socket(rnd.nextInt(1 << 20));
        byte[] out = bytes(rnd, rnd.nextInt(6) == 0 ? 5000 : 40);
        return new ConnectionData(connId, spec, bytes(rnd, 60), out, rnd.nextInt(out.length + 1),
                rnd.nextBoolean() ? OptionalLong.of(rnd.nextLong()) : OptionalLong.empty());
    }

    private static List<NodePerm> perms(Random rnd, int n) {
        List<NodePerm> p = new ArrayList<>();
        NodePerm.Access[] all = NodePerm.Access.values();
        for (int i = 0; i < n; i++) {
            p.add(new NodePerm(all[rnd.nextInt(all.length)], rnd.nextInt(5) == 0, rnd.nextInt(0x10000)));
        }
        return p;
    }

    private static List<QuotaValue> quotas(Random rnd) {
        List<QuotaValue> q = new ArrayList<>();
        String[] names = {"nodes", "watches", "memory", "soft-memory", "transactions", "", "x\u00ff"};
        for (int i = rnd.nextInt(4); i > 0; i--) {
            q.add(new QuotaValue(names[rnd.nextInt(names.length)], rnd.nextInt() & 0xffffffffL));
        }
        return q;
    }

    /** An absolute path of 1-4 non-empty segments, or (when {@code absolute} is false) a relative one. */
    static String path(Random rnd, boolean absolute) {
        StringBuilder sb = new StringBuilder();
        int segments = 1 + rnd.nextInt(4);
        for (int i = 0; i < segments; i++) {
            if (i > 0 || absolute) {
                sb.append('/');
            }
            sb.append('s').append(string(rnd, 6).replace('/', '-'));
        }
        return sb.toString();
    }

    /** A byte string (chars 1-255) of up to {@code max} chars. */
    static String string(Random rnd, int max) {
        char[] c = new char[rnd.nextInt(max + 1)];
        for (int i = 0; i < c.length; i++) {
            c[i] = rnd.nextInt(3) == 0 ? (char) (1 + rnd.nextInt(255)) : (char) ('a' + rnd.nextInt(26));
        }
        return new String(c);
    }

    static byte[] bytes(Random rnd, int max) {
        return bytes(rnd, 0, max);
    }

    private static byte[] bytes(Random rnd, int min, int max) {
        byte[] b = new byte[min == max ? min : min + rnd.nextInt(max - min + 1)];
        rnd.nextBytes(b);
        return b;
    }
}
