package org.jxenstored.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A real state_dump written by Debian 12's C xenstored 4.17 at a live update (src/test/resources/migration/README.md
 * says how it was captured): the reader must read all of it into exactly these records, and the writer must write
 * them back byte for byte.
 */
class GoldenC417DumpTest {
    static final String RESOURCE = "/migration/c417-state-dump.bin";

    static byte[] dump() throws IOException {
        try (InputStream in = GoldenC417DumpTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            return in.readAllBytes();
        }
    }

    private static final int XS_CONTROL = 0;
    private static final int XS_TRANSACTION_START = 6;
    private static final int XS_WRITE = 11;
    private static final int XS_WATCH_EVENT = 15;

    /** A wire message: xsd_sockmsg (type, req_id, tx_id, len) little-endian, then the payload. */
    private static byte[] msg(int type, int reqId, int len, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(16 + p.length).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(reqId)
                .putInt(0).putInt(len).put(p).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static NodePerm n(int domid) {
        return NodePerm.of(NodePerm.Access.NONE, domid);
    }

    private static NodeData node(String path, String value, NodePerm... perms) {
        return NodeData.committed(path, List.of(perms), value.getBytes(StandardCharsets.ISO_8859_1));
    }

    static List<MigrationRecord> expected() {
        List<MigrationRecord> r = new ArrayList<>();
        r.add(new GlobalData(3, 6));
        r.add(ConnectionData.idle(1, ConnectionData.Ring.of(0, 2)));                      // Dom0's ring, first
        r.add(ConnectionData.idle(2, new ConnectionData.Socket(8)));                      // the client that wrote
        r.add(ConnectionData.idle(3, ConnectionData.Ring.of(9, 3)));                      // guest dom9
        r.add(new WatchData(3, "data", "g9-rel"));                                        // relative stays relative
        r.add(new WatchData(3, "/local/domain/9/control", "g9-abs"));
        r.add(ConnectionData.idle(4, new ConnectionData.Ring(10, 9, 4)));                 // dom10, SET_TARGET 9
        r.add(ConnectionData.idle(5, new ConnectionData.Socket(9)));
        r.add(new WatchData(5, "/data", "w-data"));
        r.add(new WatchData(5, "@releaseDomain", "w-rel"));
        ByteArrayOutputStream queued = new ByteArrayOutputStream();                       // events the client never read
        for (int i = 35; i < 50; i++) {
            queued.writeBytes(msg(XS_WATCH_EVENT, 0, 14, "/spam/" + i + "\0lazy\0"));
        }
        r.add(new ConnectionData(6, new ConnectionData.Socket(10), null, queued.toByteArray(), 0,
                OptionalLong.empty()));
        r.add(new WatchData(6, "/spam", "lazy"));
        r.add(ConnectionData.idle(7, new ConnectionData.Socket(11)));                     // its transaction: not dumped
        r.add(new ConnectionData(8, new ConnectionData.Socket(12), null, msg(XS_CONTROL, 0, 3, "OK\0"), 0,
                OptionalLong.empty()));                                                   // xenstore-control: "OK"
        r.add(new ConnectionData(9, new ConnectionData.Socket(13),
                concat(msg(XS_TRANSACTION_START, 7001, 1, "\0"),                          // delayed while pending
                        msg(XS_WRITE, 7002, 20, "/data/")),                               // 6 of 20 payload bytes
                null, 0, OptionalLong.empty()));
        r.add(node("@releaseDomain", "", n(0)));
        r.add(node("@introduceDomain", "", n(0), NodePerm.of(NodePerm.Access.READ, 9)));
        r.add(node("/", "", n(0)));
        r.add(node("/tool", "", n(0)));
        r.add(node("/tool/xenstored", "", n(0)));
        r.add(node("/data", "", n(0)));
        r.add(node("/data/plain", "hello", n(0)));
        r.add(node("/data/binary", "\u0000\u0001\u0002\u007f\u0080\u00fe\u00ff\n", n(0)));
        r.add(node("/data/empty", "", n(0)));
        String deep = "/data/deep";
        r.add(node(deep, "", n(0)));
        for (String s : "abcdefg".split("")) {
            deep += "/" + s;
            r.add(node(deep, "", n(0)));
        }
        r.add(node(deep + "/h", "deep", n(0)));
        r.add(node("/data/perms", "p", n(0), NodePerm.of(NodePerm.Access.READ, 1),
                NodePerm.of(NodePerm.Access.WRITE, 2), NodePerm.of(NodePerm.Access.BOTH, 9)));
        r.add(node("/data/owned9", "nine", NodePerm.of(NodePerm.Access.BOTH, 9), NodePerm.of(NodePerm.Access.READ, 0)));
        r.add(node("/local", "", n(0)));
        r.add(node("/local/domain", "", n(0)));
        r.add(node("/local/domain/9", "", n(9)));
        r.add(node("/local/domain/9/data", "", n(9)));
        r.add(node("/local/domain/9/data/x", "guest value", n(9)));
        r.add(node("/local/domain/10", "", n(10)));
        r.add(node("/spam", "", n(0)));
        for (int i = 0; i < 50; i++) {
            r.add(node("/spam/" + i, "", n(0)));
        }
        r.add(End.INSTANCE);
        return r;
    }

    @Test
    void readsEveryRecordOfTheDump() throws Exception {
        try (MigrationReader r = MigrationReader.from(dump())) {
            assertThat(r.header()).isEqualTo(new StreamHeader(StreamHeader.V1, ByteOrder.LITTLE_ENDIAN));
            assertThat(r.readAll()).containsExactlyElementsOf(expected());
            assertThat(r.position()).isEqualTo(dump().length);
        }
    }

    @Test
    void readsTheDumpFromAStreamOfUnknownSizeToo() throws Exception {
        try (MigrationReader r = MigrationReader.from(GoldenC417DumpTest.class.getResourceAsStream(RESOURCE))) {
            assertThat(r.readAll()).containsExactlyElementsOf(expected());
        }
    }

    @Test
    void writesTheDumpBackByteForByte() throws Exception {
        byte[] dump = dump();
        byte[] again = Streams.write(Streams.read(dump), MigrationWriter.Options.v1().withOrder(ByteOrder.LITTLE_ENDIAN));
        assertThat(again).isEqualTo(dump);
        // and from the hand-written records, not only from what the reader made of the bytes
        assertThat(Streams.write(expected(), MigrationWriter.Options.v1().withOrder(ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo(dump);
    }

    @Test
    void c417CanRestoreItsOwnDump() throws Exception {
        C417Compatibility.Report report = C417Compatibility.check(dump());
        assertThat(report.violations()).isEmpty();
        assertThat(report.lossless()).isTrue();
    }

    @Test
    void visitorSeesTheRecordsInOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        try (MigrationReader r = MigrationReader.from(dump())) {
            r.accept(new MigrationVisitor() {
                @Override
                public void global(GlobalData g) {
                    seen.add("global");
                }

                @Override
                public void connection(ConnectionData c) {
                    seen.add("conn");
                }

                @Override
                public void watch(WatchData w) {
                    seen.add("watch");
                }

                @Override
                public void node(NodeData n) {
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals("nodes")) {
                        seen.add("nodes");
                    }
                }

                @Override
                public void end() {
                    seen.add("end");
                }
            });
        }
        assertThat(seen).containsExactly("global", "conn", "conn", "conn", "watch", "watch", "conn", "conn", "watch",
                "watch", "conn", "watch", "conn", "conn", "conn", "nodes", "end");
    }
}
