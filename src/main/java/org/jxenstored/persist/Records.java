package org.jxenstored.persist;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.jxenstored.domain.DomainState;
import org.jxenstored.store.Node;
import org.jxenstored.store.Perms;
import org.jxenstored.store.TreeDiff;
import org.jxenstored.transport.ring.RingState;

/**
 * The records of the journal and of snapshots, and their encoding: one format for both, so that a snapshot is what
 * replaying the journal from an empty store would give. A domain's connection is named by its domid (one ring per
 * domain); socket connections are not kept (they die with the process).
 */
final class Records {
    /** A node as it is now: path, value, permissions (exact form), generation, creation stamp. */
    static final int NODE = 1;
    /** A node and its subtree are gone. */
    static final int DELETE = 2;
    /** The store's stamp counter reached this value. */
    static final int STAMP = 3;
    /** Everything kept outside the tree and the connections, whole: quotas, special nodes, the domains. */
    static final int DOMAINS = 4;
    static final int WATCH_ADD = 5;
    static final int WATCH_DEL = 6;
    static final int TX_START = 7;
    static final int TX_END = 8;
    /** A ring connection's traffic ({@link RingState}). */
    static final int RING = 9;
    /** A ring connection dropped its watches and transactions (reconnection). */
    static final int RESET = 10;
    /** A ring request at this input position is about to be served (after a restart only: quarantine). */
    static final int SERVING = 11;
    /** The last record of a complete snapshot. */
    static final int END = 12;
    /**
     * A restart found this ring request being served when the daemon died: if the next restart finds it so again,
     * it is refused (quarantine).
     */
    static final int SUSPECT = 13;
    /** A ring connection's traffic with its output's framing ({@link RingState#outPartial()}); replaces RING. */
    static final int RING_FRAMED = 14;

    private Records() {
    }

    static void node(RecordBuffer b, String path, Node n) {
        Perms p = n.perms();
        b.u8(NODE).str(path).value(n).u32(p.size());
        for (int i = 0; i < p.size(); i++) {
            b.u32(p.domid(i)).u8(p.rawMode(i));
        }
        b.u64(n.generation()).u64(n.creationStamp());
    }

    /** The changes from one tree version to another, as NODE and DELETE records, then the stamp counter. */
    static void treeChanges(RecordBuffer b, Node before, Node after, long lastStamp) {
        TreeDiff.diff(before, after, new TreeDiff.Changes() {
            @Override
            public void set(String path, Node node) {
                node(b, path, node);
            }

            @Override
            public void removed(String path) {
                b.u8(DELETE).str(path);
            }
        });
        b.u8(STAMP).u64(lastStamp);
    }

    static void domains(RecordBuffer b, Map<String, Integer> globalQuotas, Map<Integer, Map<String, Integer>> accounts,
            Perms introducePerms, Perms releasePerms, List<DomainState> domains) {
        b.u8(DOMAINS);
        quotas(b, globalQuotas);
        b.u32(accounts.size());
        accounts.forEach((domid, values) -> {
            b.u32(domid);
            quotas(b, values);
        });
        perms(b, introducePerms);
        perms(b, releasePerms);
        b.u32(domains.size());
        for (DomainState d : domains) {
            b.u32(d.domid()).u64(d.gfn()).u32(d.remotePort()).u32(d.target()).u32(d.features())
                    .u8(d.shutdownReported() ? 1 : 0);
        }
    }

    private static void quotas(RecordBuffer b, Map<String, Integer> values) {
        b.u32(values.size());
        values.forEach((name, v) -> b.str(name).u32(v));
    }

    private static void perms(RecordBuffer b, Perms p) {
        b.u32(p.size());
        for (int i = 0; i < p.size(); i++) {
            b.u32(p.domid(i)).u8(p.rawMode(i));
        }
    }

    static void watchAdd(RecordBuffer b, int domid, String path, String token, int depth, int relativePrefix) {
        b.u8(WATCH_ADD).u32(domid).str(path).str(token).u32(depth).u32(relativePrefix);
    }

    static void watchDel(RecordBuffer b, int domid, String path, String token) {
        b.u8(WATCH_DEL).u32(domid).str(path).str(token);
    }

    static void transaction(RecordBuffer b, boolean start, int domid, int id) {
        b.u8(start ? TX_START : TX_END).u32(domid).u32(id);
    }

    static void ring(RecordBuffer b, int domid, RingState s) {
        b.u8(RING_FRAMED).u32(domid).u32(s.reqCons()).bytes(s.inData()).u32(s.rspProd()).bytes(s.outData())
                .u64(Double.doubleToRawLongBits(s.credit())).u32(s.outPartial());
    }

    static void reset(RecordBuffer b, int domid) {
        b.u8(RESET).u32(domid);
    }

    static void serving(RecordBuffer b, int domid, int position) {
        b.u8(SERVING).u32(domid).u32(position);
    }

    static void suspect(RecordBuffer b, int domid, int position) {
        b.u8(SUSPECT).u32(domid).u32(position);
    }

    static void end(RecordBuffer b) {
        b.u8(END);
    }

    /** Applies every record of {@code frame} to {@code model}; returns whether an END record was among them. */
    static boolean replay(ByteBuffer frame, StateModel model) {
        boolean end = false;
        while (frame.hasRemaining()) {
            int type = frame.get() & 0xff;
            switch (type) {
                case NODE: {
                    String path = RecordBuffer.string(frame);
                    byte[] value = RecordBuffer.byteString(frame);
                    Perms perms = readPerms(frame);
                    model.tree.set(path, value, perms, frame.getLong(), frame.getLong());
                    break;
                }
                case DELETE:
                    model.tree.remove(RecordBuffer.string(frame));
                    break;
                case STAMP:
                    model.lastStamp = Math.max(model.lastStamp, frame.getLong());
                    break;
                case DOMAINS:
                    readDomains(frame, model);
                    break;
                case WATCH_ADD: {
                    int domid = frame.getInt();
                    String path = RecordBuffer.string(frame);
                    String token = RecordBuffer.string(frame);
                    model.conn(domid).addWatch(path, token, frame.getInt(), frame.getInt());
                    break;
                }
                case WATCH_DEL: {
                    int domid = frame.getInt();
                    model.conn(domid).removeWatch(RecordBuffer.string(frame), RecordBuffer.string(frame));
                    break;
                }
                case TX_START:
                    model.conn(frame.getInt()).transactions.add(frame.getInt());
                    break;
                case TX_END:
                    model.conn(frame.getInt()).transactions.remove(frame.getInt());
                    break;
                case RING:
                case RING_FRAMED: {
                    int domid = frame.getInt();
                    int reqCons = frame.getInt();
                    byte[] in = RecordBuffer.byteString(frame);
                    int rspProd = frame.getInt();
                    byte[] out = RecordBuffer.byteString(frame);
                    double credit = Double.longBitsToDouble(frame.getLong());
                    int outPartial = type == RING_FRAMED ? frame.getInt() : 0;
                    StateModel.Conn c = model.conn(domid);
                    c.ring = new RingState(reqCons, in, rspProd, out, credit, outPartial);
                    int served = reqCons - in.length;
                    if (c.serving != null && served - c.serving > 0) {
                        c.serving = null; // served since: it did not kill the daemon
                    }
                    if (c.suspect != null && served - c.suspect > 0) {
                        c.suspect = null;
                    }
                    break;
                }
                case RESET: {
                    StateModel.Conn c = model.conn(frame.getInt());
                    c.watches.clear();
                    c.transactions.clear();
                    break;
                }
                case SERVING: {
                    StateModel.Conn c = model.conn(frame.getInt());
                    c.serving = frame.getInt();
                    break;
                }
                case SUSPECT: {
                    StateModel.Conn c = model.conn(frame.getInt());
                    c.suspect = frame.getInt();
                    break;
                }
                case END:
                    end = true;
                    break;
                default:
                    throw new IllegalStateException("unknown record type " + type);
            }
        }
        return end;
    }

    private static Perms readPerms(ByteBuffer in) {
        int n = in.getInt();
        if (n <= 0 || n > 65536) {
            throw new IllegalStateException("permission count " + n);
        }
        int[] domids = new int[n];
        byte[] modes = new byte[n];
        for (int i = 0; i < n; i++) {
            domids[i] = in.getInt();
            modes[i] = in.get();
        }
        return Perms.of(domids, modes);
    }

    private static Map<String, Integer> readQuotas(ByteBuffer in) {
        int n = in.getInt();
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(RecordBuffer.string(in), in.getInt());
        }
        return out;
    }

    private static void readDomains(ByteBuffer in, StateModel model) {
        model.globalQuotas = readQuotas(in);
        model.accounts.clear();
        int accounts = in.getInt();
        for (int i = 0; i < accounts; i++) {
            model.accounts.put(in.getInt(), readQuotas(in));
        }
        model.introducePerms = readPerms(in);
        model.releasePerms = readPerms(in);
        int n = in.getInt();
        Map<Integer, DomainState> domains = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            DomainState d = new DomainState(in.getInt(), in.getLong(), in.getInt(), in.getInt(), in.getInt(),
                    in.get() != 0);
            domains.put(d.domid(), d);
        }
        model.setDomains(domains);
    }
}
