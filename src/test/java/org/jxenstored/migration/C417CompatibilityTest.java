package org.jxenstored.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jxenstored.migration.C417Compatibility.Report;
import org.jxenstored.migration.C417Compatibility.Rule;
import org.junit.jupiter.api.Test;

/** Each rule of C 4.17's reader, broken on purpose, on top of a stream 4.17 restores whole. */
class C417CompatibilityTest {
    private static final MigrationWriter.Options V1 = MigrationWriter.Options.v1().withOrder(ByteOrder.LITTLE_ENDIAN);

    private static NodePerm owner(int domid) {
        return NodePerm.of(NodePerm.Access.NONE, domid);
    }

    private static NodeData node(String path, int owner) {
        return NodeData.committed(path, List.of(owner(owner)), null);
    }

    /** What a jxenstored writing for 4.17 would write: GLOBAL, Dom0's ring, a guest, watches, specials, pre-order. */
    private static List<MigrationRecord> good() {
        List<MigrationRecord> r = new ArrayList<>();
        r.add(new GlobalData(3, 6));
        r.add(ConnectionData.idle(1, ConnectionData.Ring.of(0, 2)));
        r.add(ConnectionData.idle(2, ConnectionData.Ring.of(9, 3)));
        r.add(new WatchData(2, "data", "t"));
        r.add(ConnectionData.idle(3, new ConnectionData.Socket(8)));
        r.add(new WatchData(3, "/local/domain/9/data", "t"));
        r.add(new WatchData(3, "@releaseDomain", "r"));
        r.add(node("@releaseDomain", 0));
        r.add(node("@introduceDomain", 0));
        r.add(node("/", 0));
        r.add(node("/local", 0));
        r.add(node("/local/domain", 0));
        r.add(node("/local/domain/9", 9));
        r.add(node("/local/domain/9/data", 9));
        return r;
    }

    private static Report check(List<MigrationRecord> records) throws Exception {
        return C417Compatibility.check(Streams.write(records, V1));
    }

    private static Report check(List<MigrationRecord> records, MigrationWriter.Options o,
            C417Compatibility.Options c) throws Exception {
        try (MigrationReader r = MigrationReader.from(Streams.write(records, o))) {
            return C417Compatibility.check(r, c);
        }
    }

    private static List<MigrationRecord> good(int index, MigrationRecord... insert) {
        List<MigrationRecord> r = good();
        r.addAll(index < 0 ? r.size() : index, List.of(insert));
        return r;
    }

    @Test
    void theBaselineIsLossless() throws Exception {
        Report report = check(good());
        assertThat(report.violations()).isEmpty();
        assertThat(report.compatible()).isTrue();
        assertThat(report.lossless()).isTrue();
    }

    @Test
    void version2AndForeignByteOrder() throws Exception {
        Report v2 = check(good(), MigrationWriter.Options.v2().withOrder(ByteOrder.LITTLE_ENDIAN),
                C417Compatibility.Options.defaults());
        assertThat(v2.rules()).containsExactly(Rule.VERSION);
        assertThat(v2.compatible()).isFalse();
        Report be = check(good(), V1.withOrder(ByteOrder.BIG_ENDIAN), C417Compatibility.Options.defaults());
        assertThat(be.rules()).containsExactly(Rule.BYTE_ORDER);
        Report beHost = check(good(), V1.withOrder(ByteOrder.BIG_ENDIAN),
                C417Compatibility.Options.defaults().withHostOrder(ByteOrder.BIG_ENDIAN));
        assertThat(beHost.lossless()).isTrue();
    }

    @Test
    void globalDataFirst() throws Exception {
        List<MigrationRecord> late = good();
        late.add(2, late.remove(0));
        Report report = check(late);
        assertThat(report.rules()).containsExactly(Rule.GLOBAL_FIRST);
        assertThat(report.violations().get(0).offset()).isEqualTo(16);
        List<MigrationRecord> none = good();
        none.remove(0);
        assertThat(check(none).violations()).extracting(C417Compatibility.Violation::detail)
                .containsExactly("first record is CONNECTION_DATA", "no GLOBAL_DATA");
    }

    @Test
    void masterRingBeforeTheNodes() throws Exception {
        List<MigrationRecord> noDom0 = good();
        noDom0.remove(1);
        assertThat(check(noDom0).rules()).containsExactly(Rule.MASTER_RING_BEFORE_NODES);
        List<MigrationRecord> late = good();
        late.add(late.remove(1)); // after the nodes
        assertThat(check(late).rules()).containsExactly(Rule.MASTER_RING_BEFORE_NODES);
        // a stub-domain xenstored's master is another domain
        assertThat(check(good(), V1, new C417Compatibility.Options(9, d -> false, ByteOrder.LITTLE_ENDIAN, 10))
                .lossless()).isTrue();
    }

    @Test
    void oneRingPerDomain() throws Exception {
        Report report = check(good(3, ConnectionData.idle(7, ConnectionData.Ring.of(9, 4))));
        assertThat(report.rules()).containsExactly(Rule.DUPLICATE_RING);
    }

    @Test
    void noPendingNodes() throws Exception {
        Report report = check(good(-1, new TransactionData(3, 5),
                new NodeData(3, 5, NodeData.ACCESS_WRITTEN, List.of(owner(0)), "/local/x", null)));
        assertThat(report.rules()).containsExactly(Rule.IGNORED_RECORD, Rule.PENDING_NODE);
        assertThat(report.compatible()).isFalse();
    }

    @Test
    void parentsFirst() throws Exception {
        Report report = check(good(-1, node("/a/b", 0), node("/a", 0), node("/a/b/c", 0)));
        assertThat(report.violations()).extracting(C417Compatibility.Violation::rule).containsExactly(Rule.PARENT_FIRST);
        assertThat(report.violations().get(0).detail()).isEqualTo("\"/a/b\" before its parent");
    }

    @Test
    void eachNodeOnceAndTheRootFirst() throws Exception {
        assertThat(check(good(-1, node("/local", 0))).rules()).containsExactly(Rule.NODE_ONCE);
        List<MigrationRecord> rootLate = good();
        rootLate.add(rootLate.remove(9)); // "/" last
        assertThat(check(rootLate).violations()).extracting(C417Compatibility.Violation::detail)
                .containsExactly("\"/\" after other nodes");
        List<MigrationRecord> noRoot = good();
        noRoot.remove(9); // 4.17 keeps its own root then
        assertThat(check(noRoot).lossless()).isTrue();
    }

    @Test
    void ownersMustBeKnown() throws Exception {
        List<MigrationRecord> orphan = good(-1, node("/local/domain/7", 7));
        Report report = check(orphan);
        assertThat(report.rules()).containsExactly(Rule.OWNER_KNOWN);
        assertThat(report.compatible()).isFalse();
        // alive in Xen: 4.17 allocates the domain
        assertThat(check(orphan, V1, C417Compatibility.Options.defaults().withDomainExists(d -> d == 7)).lossless())
                .isTrue();
        // a ring's target is allocated too
        List<MigrationRecord> target = good(3, ConnectionData.idle(7, new ConnectionData.Ring(10, 7, 4)));
        target.add(node("/local/domain/7", 7));
        assertThat(check(target).lossless()).isTrue();
        // special nodes are not accounted
        assertThat(check(good(-1, node("@introduceDomain", 5))).lossless()).isTrue();
    }

    @Test
    void pendingOutputMustBeWholeMessages() throws Exception {
        byte[] whole = message(15, "/a\0t\0");
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1);
        assertThat(check(good(-1, conn(9, null, whole, 0))).lossless()).isTrue();
        // a partial message first: out-resp-len says how much of it is left
        assertThat(check(good(-1, conn(9, null, concat(new byte[] {'K', 0}, whole), 2))).lossless()).isTrue();
        Report report = check(good(-1, conn(9, null, cut, 0)));
        assertThat(report.rules()).containsExactly(Rule.OUT_DATA_FRAMING);
        assertThat(report.violations().get(0).detail()).contains("claims 5 bytes, 4 left");
        assertThat(check(good(-1, conn(9, null, java.util.Arrays.copyOf(whole, 10), 0))).violations().get(0).detail())
                .contains("10 bytes left at out-data byte 0, less than a header");
    }

    @Test
    void oversizedPendingRequest() throws Exception {
        byte[] header = java.util.Arrays.copyOf(message(11, ""), 16);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 5000);
        Report report = check(good(-1, conn(9, header, null, 0)));
        assertThat(report.rules()).containsExactly(Rule.OVERSIZED_REQUEST);
        assertThat(report.compatible()).isTrue();
        assertThat(report.lossless()).isFalse();
    }

    @Test
    void lossesAreReportedButNotFatal() throws Exception {
        Report special = check(good(-1, node("@releaseDomain/9", 0)));
        assertThat(special.rules()).containsExactly(Rule.SPECIAL_NODE);
        assertThat(special.compatible()).isTrue();

        Report ext = check(good(4, new WatchDataExtended(2, "data/x", "d", 1)),
                MigrationWriter.Options.v2().withOrder(ByteOrder.LITTLE_ENDIAN), C417Compatibility.Options.defaults());
        assertThat(ext.rules()).containsExactly(Rule.VERSION, Rule.WATCH_EXTENDED);

        Report dup = check(good(4, new WatchData(2, "/local/domain/9/data", "t")));
        assertThat(dup.rules()).containsExactly(Rule.DUPLICATE_WATCH); // "data" of dom9 is the same path
        assertThat(dup.compatible()).isTrue();

        Report ignored = check(good(-1, new TransactionData(3, 1),
                new GlobalQuotaData(List.of(new QuotaValue("nodes", 1000)), List.of()),
                new DomainData(9, 0, List.of()), new UnknownRecord(100, new byte[8])));
        assertThat(ignored.violations()).extracting(C417Compatibility.Violation::detail)
                .containsExactly("TRANSACTION_DATA", "GLOBAL_QUOTA_DATA", "DOMAIN_DATA", "type 0x00000064");
        assertThat(ignored.compatible()).isTrue();
        assertThat(ignored.lossless()).isFalse();
    }

    @Test
    void violationsAreCappedAndCounted() throws Exception {
        List<MigrationRecord> r = good();
        for (int i = 0; i < 30; i++) {
            r.add(node("/orphan" + i + "/x", 0));
        }
        Report report = check(r, V1, new C417Compatibility.Options(0, d -> false, ByteOrder.LITTLE_ENDIAN, 10));
        assertThat(report.violations()).hasSize(10);
        assertThat(report.suppressed()).isEqualTo(20);
        assertThat(report.fatalCount()).isEqualTo(30);
    }

    private static ConnectionData conn(int fd, byte[] in, byte[] out, int resp) {
        return new ConnectionData(40 + fd, new ConnectionData.Socket(fd), in, out, resp, OptionalLong.empty());
    }

    private static byte[] message(int type, String payload) {
        byte[] p = payload.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(16 + p.length).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putInt(0)
                .putInt(p.length).put(p).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
