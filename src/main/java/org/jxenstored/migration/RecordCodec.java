package org.jxenstored.migration;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The body layout of every record type, both ways. A record is {@code type u32 | len u32 | body}, {@code len}
 * counting the body and its padding, so it is always a multiple of 8 (C: {@code head.length = ROUNDUP(..., 3)} in
 * 4.17, {@code ROUNDUP(..., 8)} later, and the readers step by {@code sizeof(head) + head.length}). Padding is
 * written as zeros and ignored when read.
 */
final class RecordCodec {
    static final int RECORD_HEADER = 8;
    static final int CONN_FIXED = 24;
    static final int WATCH_FIXED = 8;
    static final int WATCH_EXT_FIXED = 12;
    static final int NODE_FIXED = 16;
    static final int PERM_SIZE = 4;

    private RecordCodec() {
    }

    // ---------------------------------------------------------------- writing

    /** Writes {@code r} (header, body, padding). The caller has checked the version rules. */
    static void encode(MigrationRecord r, int version, Sink out) throws IOException {
        if (r instanceof NodeData n) {
            encodeNode(n, out);
        } else if (r instanceof ConnectionData c) {
            encodeConnection(c, out);
        } else if (r instanceof WatchData w) {
            byte[] p = Wire.bytes(w.path());
            byte[] t = Wire.bytes(w.token());
            head(out, RecordType.WATCH_DATA, WATCH_FIXED + p.length + 1 + t.length + 1);
            out.u32(w.connId());
            out.u16(p.length + 1);
            out.u16(t.length + 1);
            cString(out, p);
            cString(out, t);
        } else if (r instanceof WatchDataExtended w) {
            byte[] p = Wire.bytes(w.path());
            byte[] t = Wire.bytes(w.token());
            head(out, RecordType.WATCH_DATA_EXTENDED, WATCH_EXT_FIXED + p.length + 1 + t.length + 1);
            out.u32(w.connId());
            out.u16(p.length + 1);
            out.u16(t.length + 1);
            out.u16(w.depth());
            out.u16(0);
            cString(out, p);
            cString(out, t);
        } else if (r instanceof TransactionData t) {
            head(out, RecordType.TRANSACTION_DATA, 8);
            out.u32(t.connId());
            out.u32(t.txId());
        } else if (r instanceof GlobalData g) {
            head(out, RecordType.GLOBAL_DATA, 8);
            out.u32(g.socketFd());
            out.u32(g.evtchnFd());
        } else if (r instanceof GlobalQuotaData q) {
            List<QuotaValue> all = new ArrayList<>(q.domainQuotas());
            all.addAll(q.globalQuotas());
            head(out, RecordType.GLOBAL_QUOTA_DATA, 4 + quotaSize(all));
            out.u16(q.domainQuotas().size());
            out.u16(q.globalQuotas().size());
            quotas(out, all);
        } else if (r instanceof DomainData d) {
            head(out, RecordType.DOMAIN_DATA, 8 + quotaSize(d.quotas()));
            out.u16(d.domid());
            out.u16(d.quotas().size());
            out.u32(version >= StreamHeader.V2 ? d.features() : 0);
            quotas(out, d.quotas());
        } else if (r instanceof UnknownRecord u) {
            out.u32(u.type());
            out.u32(u.body().length);
            out.bytes(u.body());
        } else if (r instanceof End) {
            out.u32(RecordType.END);
            out.u32(0);
        } else {
            throw new IllegalArgumentException("record " + r);
        }
        out.align8();
    }

    private static void encodeNode(NodeData n, Sink out) throws IOException {
        byte[] p = Wire.bytes(n.path());
        List<NodePerm> perms = n.perms();
        head(out, RecordType.NODE_DATA, NODE_FIXED + (long) PERM_SIZE * perms.size() + p.length + 1
                + n.value().length);
        out.u32(n.connId());
        out.u32(n.txId());
        out.u16(p.length + 1);
        out.u16(n.value().length);
        out.u16(n.access());
        out.u16(perms.size());
        for (NodePerm perm : perms) {
            out.u8(perm.access().code());
            out.u8(perm.flags());
            out.u16(perm.domid());
        }
        cString(out, p);
        out.bytes(n.value());
    }

    private static void encodeConnection(ConnectionData c, Sink out) throws IOException {
        long data = CONN_FIXED + (long) c.inData().length + c.outData().length;
        long len = Wire.align8(data) + (c.uniqueId().isPresent() ? 8 : 0);
        head(out, RecordType.CONNECTION_DATA, len);
        out.u32(c.connId());
        out.u16(c.spec().connType());
        out.u16(c.fields());
        if (c.spec() instanceof ConnectionData.Ring ring) {
            out.u16(ring.domid());
            out.u16(ring.targetDomid());
            out.u32(ring.evtchn());
        } else {
            out.u32(((ConnectionData.Socket) c.spec()).fd());
            out.u32(0);
        }
        out.u16(c.inData().length);
        out.u16(c.outRespLen());
        out.u32(c.outData().length);
        out.bytes(c.inData());
        out.bytes(c.outData());
        if (c.uniqueId().isPresent()) {
            out.align8();
            out.u64(c.uniqueId().getAsLong());
        }
    }

    private static void head(Sink out, int type, long contentLength) throws IOException {
        long len = Wire.align8(contentLength);
        if (len > Wire.U32_MAX) {
            throw new IllegalArgumentException(RecordType.name(type) + " too long: " + contentLength + " bytes");
        }
        out.u32(type);
        out.u32(len);
    }

    private static void cString(Sink out, byte[] s) throws IOException {
        out.bytes(s);
        out.u8(0);
    }

    private static long quotaSize(List<QuotaValue> quotas) {
        long n = 4L * quotas.size();
        for (QuotaValue q : quotas) {
            n += q.name().length() + 1;
        }
        return n;
    }

    private static void quotas(Sink out, List<QuotaValue> quotas) throws IOException {
        for (QuotaValue q : quotas) {
            out.u32(q.value());
        }
        for (QuotaValue q : quotas) {
            cString(out, Wire.bytes(q.name()));
        }
    }

    // ---------------------------------------------------------------- reading

    /** A record body being decoded: bounds-checked field access, errors located in the stream. */
    static final class Body {
        final byte[] b;
        final ByteOrder order;
        final long base;
        final String what;

        Body(byte[] b, ByteOrder order, long base, int type) {
            this.b = b;
            this.order = order;
            this.base = base;
            this.what = RecordType.name(type);
        }

        MigrationStreamException fail(int pos, String msg) {
            return new MigrationStreamException(what + ": " + msg, base + pos);
        }

        void need(long end, int pos, String field) throws MigrationStreamException {
            if (end > b.length) {
                throw fail(pos, field + " ends at body byte " + end + " but the record body has " + b.length);
            }
        }

        int u8(int pos) {
            return b[pos] & 0xff;
        }

        int u16(int pos) {
            return order == ByteOrder.LITTLE_ENDIAN ? (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8
                    : (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
        }

        int i32(int pos) {
            return order == ByteOrder.LITTLE_ENDIAN
                    ? (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | b[pos + 3] << 24
                    : b[pos] << 24 | (b[pos + 1] & 0xff) << 16 | (b[pos + 2] & 0xff) << 8 | (b[pos + 3] & 0xff);
        }

        long u32(int pos) {
            return Integer.toUnsignedLong(i32(pos));
        }

        long i64(int pos) {
            long lo = u32(pos);
            long hi = u32(pos + 4);
            return order == ByteOrder.LITTLE_ENDIAN ? hi << 32 | lo : lo << 32 | hi;
        }

        /**
         * A C string of {@code len} bytes including its NUL at {@code pos}: the NUL must be its last byte and
         * the only one.
         */
        String cString(int pos, int len, String field) throws MigrationStreamException {
            if (len == 0) {
                throw fail(pos, field + " length 0 (it counts the NUL)");
            }
            need((long) pos + len, pos, field);
            int nul = indexOfNul(b, pos, pos + len);
            if (nul != pos + len - 1) {
                throw fail(nul < 0 ? pos + len - 1 : nul, field + (nul < 0 ? " not NUL-terminated"
                        : " has a NUL at byte " + (nul - pos) + " of " + len));
            }
            return Wire.string(b, pos, len - 1);
        }

        /** Whether {@code [pos, pos+len)} holds a well-formed C string (as {@link #cString}, without failing). */
        boolean isCString(long pos, int len) {
            return len > 0 && pos + len <= b.length && indexOfNul(b, (int) pos, (int) pos + len) == pos + len - 1;
        }
    }

    static int indexOfNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Decodes a body of a known type other than END and WATCH_DATA_EXTENDED (see {@link #decodeWatchExt}). */
    static MigrationRecord decode(Body body, int type, int version) throws MigrationStreamException {
        switch (type) {
            case RecordType.GLOBAL_DATA:
                return decodeGlobal(body);
            case RecordType.CONNECTION_DATA:
                return decodeConnection(body);
            case RecordType.WATCH_DATA:
                return decodeWatch(body);
            case RecordType.TRANSACTION_DATA:
                return decodeTransaction(body);
            case RecordType.NODE_DATA:
                return decodeNode(body);
            case RecordType.GLOBAL_QUOTA_DATA:
                return decodeGlobalQuota(body);
            case RecordType.DOMAIN_DATA:
                return decodeDomain(body, version);
            default:
                throw new IllegalArgumentException(RecordType.name(type));
        }
    }

    private static MigrationRecord decodeGlobal(Body d) throws MigrationStreamException {
        d.need(8, 0, "GLOBAL_DATA");
        int sock = d.i32(0);
        int evtchn = d.i32(4);
        if (sock < -1) {
            throw d.fail(0, "socket fd " + sock);
        }
        if (evtchn < -1) {
            throw d.fail(4, "event channel fd " + evtchn);
        }
        return new GlobalData(sock, evtchn);
    }

    private static MigrationRecord decodeConnection(Body d) throws MigrationStreamException {
        d.need(CONN_FIXED, 0, "connection header");
        int connId = d.i32(0);
        if (connId == 0) {
            throw d.fail(0, "connection id 0");
        }
        int connType = d.u16(4);
        int fields = d.u16(6);
        if ((fields & ~ConnectionData.FIELD_UNIQUE_ID) != 0) {
            throw d.fail(6, String.format("unknown fields 0x%04x (known: 0x0001 unique-id)", fields));
        }
        ConnectionData.Spec spec;
        if (connType == ConnectionData.TYPE_RING) {
            int domid = d.u16(8);
            int target = d.u16(10);
            if (domid >= Wire.DOMID_FIRST_RESERVED) {
                throw d.fail(8, "ring domid " + domid + " is a reserved domain id");
            }
            if (target >= Wire.DOMID_FIRST_RESERVED && target != Wire.DOMID_INVALID) {
                throw d.fail(10, "ring target domid " + target + " is a reserved domain id");
            }
            spec = new ConnectionData.Ring(domid, target, d.i32(12));
        } else if (connType == ConnectionData.TYPE_SOCKET) {
            int fd = d.i32(8);
            if (fd < 0) {
                throw d.fail(8, "socket fd " + fd);
            }
            spec = new ConnectionData.Socket(fd);
        } else {
            throw d.fail(4, "connection type " + connType + " (known: 0 ring, 1 socket)");
        }
        int inLen = d.u16(16);
        int respLen = d.u16(18);
        long outLen = d.u32(20);
        long dataEnd = CONN_FIXED + inLen + outLen;
        d.need(dataEnd, 16, "pending data (in " + inLen + " + out " + outLen + " bytes)");
        if (respLen > outLen) {
            throw d.fail(18, "out-resp-len " + respLen + " exceeds out-data-len " + outLen);
        }
        byte[] in = java.util.Arrays.copyOfRange(d.b, CONN_FIXED, CONN_FIXED + inLen);
        byte[] out = java.util.Arrays.copyOfRange(d.b, CONN_FIXED + inLen, (int) dataEnd);
        OptionalLong uniqueId = OptionalLong.empty();
        if ((fields & ConnectionData.FIELD_UNIQUE_ID) != 0) {
            long at = Wire.align8(dataEnd);
            d.need(at + 8, (int) Math.min(at, d.b.length), "unique-id");
            uniqueId = OptionalLong.of(d.i64((int) at));
        }
        return new ConnectionData(connId, spec, in, out, respLen, uniqueId);
    }

    private static MigrationRecord decodeWatch(Body d) throws MigrationStreamException {
        d.need(WATCH_FIXED, 0, "watch header");
        int connId = d.i32(0);
        int pathLen = d.u16(4);
        int tokenLen = d.u16(6);
        String path = d.cString(WATCH_FIXED, pathLen, "watch path");
        String token = d.cString(WATCH_FIXED + pathLen, tokenLen, "watch token");
        return watch(d, connId, path, token, -1);
    }

    private static MigrationRecord watch(Body d, int connId, String path, String token, int depth)
            throws MigrationStreamException {
        if (connId == 0) {
            throw d.fail(0, "connection id 0");
        }
        if (path.isEmpty()) {
            throw d.fail(WATCH_FIXED, "empty watch path");
        }
        return depth < 0 ? new WatchData(connId, path, token) : new WatchDataExtended(connId, path, token, depth);
    }

    /** What {@link #decodeWatchExt} found: the record, and how many bytes at the end of the body it gives back. */
    record WatchExt(MigrationRecord record, int giveBack) {
    }

    /**
     * Decodes WATCH_DATA_EXTENDED. The specification's layout (path at 12) first. If that does not hold, the
     * layout C's writer produces (4.21 to at least 4.23, {@code watch.c} {@code dump_state_watches}: it writes
     * {@code sizeof(struct xs_state_watch)} = 8 bytes of the extended header, so the depth is missing and the
     * path starts at 8, while {@code head.length} is {@code ROUNDUP(12 + path + token, 8)}). Then the length may
     * claim 8 bytes more than C wrote, which are the next record's header: they are given back. Such a watch is
     * returned as a plain {@link WatchData} (its depth is lost; unlimited is the safe side).
     */
    static WatchExt decodeWatchExt(Body d) throws MigrationStreamException {
        d.need(WATCH_FIXED, 0, "watch header");
        int connId = d.i32(0);
        int pathLen = d.u16(4);
        int tokenLen = d.u16(6);
        if (d.b.length >= WATCH_EXT_FIXED && d.isCString(WATCH_EXT_FIXED, pathLen)
                && d.isCString((long) WATCH_EXT_FIXED + pathLen, tokenLen)) {
            String path = Wire.string(d.b, WATCH_EXT_FIXED, pathLen - 1);
            String token = Wire.string(d.b, WATCH_EXT_FIXED + pathLen, tokenLen - 1);
            return new WatchExt(watch(d, connId, path, token, d.u16(8)), 0);
        }
        long end = (long) WATCH_FIXED + pathLen + tokenLen;
        long written = Wire.align8(end);
        if (d.isCString(WATCH_FIXED, pathLen) && d.isCString((long) WATCH_FIXED + pathLen, tokenLen)
                && (d.b.length == written || d.b.length == written + 8)
                && indexOfNonZero(d.b, (int) end, (int) written) < 0
                && (d.b.length == written || plausibleHeader(d, (int) written))) {
            String path = Wire.string(d.b, WATCH_FIXED, pathLen - 1);
            String token = Wire.string(d.b, WATCH_FIXED + pathLen, tokenLen - 1);
            return new WatchExt(watch(d, connId, path, token, -1), (int) (d.b.length - written));
        }
        // neither layout: report against the specification's
        d.need(WATCH_EXT_FIXED, 0, "extended watch header");
        d.cString(WATCH_EXT_FIXED, pathLen, "watch path");
        d.cString(WATCH_EXT_FIXED + pathLen, tokenLen, "watch token");
        throw new AssertionError("unreachable");
    }

    /** Whether 8 bytes at {@code pos} could be a record header (a known type, a length multiple of 8). */
    private static boolean plausibleHeader(Body d, int pos) {
        int type = d.i32(pos);
        long len = d.u32(pos + 4);
        return RecordType.isKnown(type) && len % 8 == 0 && (type != RecordType.END || len == 0);
    }

    private static int indexOfNonZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    private static MigrationRecord decodeTransaction(Body d) throws MigrationStreamException {
        d.need(8, 0, "TRANSACTION_DATA");
        int connId = d.i32(0);
        int txId = d.i32(4);
        if (connId == 0) {
            throw d.fail(0, "connection id 0");
        }
        if (txId == 0) {
            throw d.fail(4, "transaction id 0");
        }
        return new TransactionData(connId, txId);
    }

    private static MigrationRecord decodeNode(Body d) throws MigrationStreamException {
        d.need(NODE_FIXED, 0, "node header");
        int connId = d.i32(0);
        int txId = d.i32(4);
        int pathLen = d.u16(8);
        int valueLen = d.u16(10);
        int access = d.u16(12);
        int permCount = d.u16(14);
        int pathAt = NODE_FIXED + PERM_SIZE * permCount;
        d.need(pathAt, 14, permCount + " permissions");
        List<NodePerm> perms = new ArrayList<>(permCount);
        for (int i = 0; i < permCount; i++) {
            int at = NODE_FIXED + PERM_SIZE * i;
            NodePerm.Access a = NodePerm.Access.of(d.u8(at));
            if (a == null) {
                throw d.fail(at, String.format("permission %d: access 0x%02x (known: n r w b)", i, d.u8(at)));
            }
            int flags = d.u8(at + 1);
            if ((flags & ~NodePerm.FLAG_STALE) != 0) {
                throw d.fail(at + 1, String.format("permission %d: flags 0x%02x (known: 0x01 stale)", i, flags));
            }
            perms.add(new NodePerm(a, flags != 0, d.u16(at + 2)));
        }
        String path = d.cString(pathAt, pathLen, "node path");
        if (path.isEmpty() || (path.charAt(0) != '/' && path.charAt(0) != '@')) {
            throw d.fail(pathAt, "node path neither absolute nor special: " + Wire.quote(path));
        }
        int valueAt = pathAt + pathLen;
        d.need((long) valueAt + valueLen, 10, "node value (" + valueLen + " bytes)");
        byte[] value = java.util.Arrays.copyOfRange(d.b, valueAt, valueAt + valueLen);
        if (connId == 0 && permCount == 0) {
            throw d.fail(14, "committed node " + Wire.quote(path) + " without permissions");
        }
        if (connId != 0) {
            if ((access & ~(NodeData.ACCESS_READ | NodeData.ACCESS_WRITTEN)) != 0) {
                throw d.fail(12, "pending node access 0x" + Integer.toHexString(access));
            }
            if (permCount == 0 && (valueLen != 0 || access != 0)) {
                throw d.fail(14, "deleted pending node " + Wire.quote(path) + " with a value or an access");
            }
        }
        return new NodeData(connId, txId, access, perms, path, value);
    }

    private static MigrationRecord decodeGlobalQuota(Body d) throws MigrationStreamException {
        d.need(4, 0, "quota counts");
        int nDom = d.u16(0);
        int nGlob = d.u16(2);
        List<QuotaValue> all = quotas(d, 4, nDom + nGlob);
        return new GlobalQuotaData(all.subList(0, nDom), all.subList(nDom, all.size()));
    }

    private static MigrationRecord decodeDomain(Body d, int version) throws MigrationStreamException {
        d.need(8, 0, "DOMAIN_DATA header");
        int domid = d.u16(0);
        if (domid >= Wire.DOMID_FIRST_RESERVED) {
            throw d.fail(0, "domain id " + domid + " is a reserved domain id");
        }
        int n = d.u16(2);
        long features = version >= StreamHeader.V2 ? d.u32(4) : 0; // not valid in v1: ignored
        return new DomainData(domid, features, quotas(d, 8, n));
    }

    private static List<QuotaValue> quotas(Body d, int at, int n) throws MigrationStreamException {
        long namesAt = at + 4L * n;
        d.need(namesAt, at - 4, n + " quota values");
        List<QuotaValue> out = new ArrayList<>(n);
        int pos = (int) namesAt;
        for (int i = 0; i < n; i++) {
            int nul = indexOfNul(d.b, pos, d.b.length);
            if (nul < 0) {
                throw d.fail(pos, "quota name " + i + " of " + n + " not NUL-terminated");
            }
            out.add(new QuotaValue(Wire.string(d.b, pos, nul - pos), d.u32(at + 4 * i)));
            pos = nul + 1;
        }
        return out;
    }
}
