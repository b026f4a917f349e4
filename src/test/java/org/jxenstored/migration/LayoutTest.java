package org.jxenstored.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Every record's bytes, written out by hand from the specification (docs/designs/xenstore-migration.md) and the C
 * structs (xenstore_state.h), against what the writer produces and the reader accepts.
 */
class LayoutTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replaceAll("[\\s|]", ""));
    }

    private static final List<MigrationRecord> RECORDS = List.of(
            new GlobalData(3, 6),
            ConnectionData.idle(1, new ConnectionData.Socket(8)),
            new ConnectionData(5, new ConnectionData.Ring(9, ConnectionData.DOMID_INVALID, 3), "ab".getBytes(),
                    "xyz".getBytes(), 1, OptionalLong.of(0x1122334455667788L)),
            new WatchData(5, "/a", "t"),
            new WatchDataExtended(5, "/a", "t", 2),
            new TransactionData(5, 7),
            new NodeData(5, 7, NodeData.ACCESS_WRITTEN,
                    List.of(new NodePerm(NodePerm.Access.BOTH, true, 5), NodePerm.of(NodePerm.Access.READ, 0)), "/a",
                    "v".getBytes()),
            new GlobalQuotaData(List.of(new QuotaValue("nodes", 1000)), List.of(new QuotaValue("x", 5))),
            new DomainData(9, 3, List.of(new QuotaValue("memory", 0))),
            new UnknownRecord(0x1234, hex("0102030405060708")));

    /** The same records in version 2, little-endian. */
    private static final String V2_LE = ""
            + "78656e73746f7265 00000002 00000000"                          // header: "xenstore", v2 BE, flags 0
            + "01000000 08000000 | 03000000 06000000"                        // GLOBAL sock 3, evtchn 6
            + "02000000 18000000 | 01000000 0100 0000 | 08000000 00000000"  // CONN 1 socket fd 8
            + "0000 0000 00000000"                                           //   in 0, resp 0, out 0
            + "02000000 28000000 | 05000000 0000 0100 | 0900 f47f 03000000" // CONN 5 ring dom9 no target port 3
            + "0200 0100 03000000 | 6162 78797a 000000"                      //   in "ab", resp 1, out "xyz", pad
            + "8877665544332211"                                             //   unique-id
            + "03000000 10000000 | 05000000 0300 0200 | 2f6100 7400 000000" // WATCH conn 5 "/a" "t"
            + "08000000 18000000 | 05000000 0300 0200 | 0200 0000"           // WATCH_EXT depth 2, pad
            + "2f6100 7400 00000000000000"                                   //   path at 12, token, pad
            + "04000000 08000000 | 05000000 07000000"                        // TA conn 5 tx 7
            + "05000000 20000000 | 05000000 07000000 | 0300 0100 0200 0200" // NODE conn 5 tx 7 written 2 perms
            + "62 01 0500 | 72 00 0000 | 2f6100 76 | 00000000"               //   b5 stale, r0, "/a", "v", pad
            + "06000000 18000000 | 0100 0100 | e8030000 05000000"            // GLB_QUOTA 1 + 1
            + "6e6f64657300 7800 | 00000000"                                 //   "nodes" "x" pad
            + "07000000 18000000 | 0900 0100 03000000 | 00000000"            // DOMAIN 9, 1 quota, features 3
            + "6d656d6f727900 | 0000000000"                                  //   "memory" pad
            + "34120000 08000000 | 0102030405060708"                         // reserved type 0x1234, as is
            + "00000000 00000000";                                           // END

    @Test
    void writerProducesTheSpecifiedBytes() {
        byte[] out = Streams.write(RECORDS, MigrationWriter.Options.v2().withOrder(ByteOrder.LITTLE_ENDIAN));
        assertThat(HEX.formatHex(out)).isEqualTo(HEX.formatHex(hex(V2_LE)));
    }

    @Test
    void readerReadsTheSpecifiedBytes() throws Exception {
        List<MigrationRecord> read = Streams.read(hex(V2_LE));
        assertThat(read.subList(0, read.size() - 1)).containsExactlyElementsOf(RECORDS);
        assertThat(read.get(read.size() - 1)).isEqualTo(End.INSTANCE);
    }

    @Test
    void bigEndianLayout() throws Exception {
        List<MigrationRecord> records = List.of(new GlobalData(3, 6),
                new ConnectionData(2, new ConnectionData.Ring(1, 4, 0x10203), new byte[0], new byte[0], 0,
                        OptionalLong.empty()));
        byte[] out = Streams.write(records, MigrationWriter.Options.v1().withOrder(ByteOrder.BIG_ENDIAN));
        String expected = "78656e73746f7265 00000001 00000001"
                + "00000001 00000008 | 00000003 00000006"
                + "00000002 00000018 | 00000002 0000 0000 | 0001 0004 00010203 | 0000 0000 00000000"
                + "00000000 00000000";
        assertThat(HEX.formatHex(out)).isEqualTo(HEX.formatHex(hex(expected)));
        try (MigrationReader r = MigrationReader.from(out)) {
            assertThat(r.header()).isEqualTo(new StreamHeader(1, ByteOrder.BIG_ENDIAN));
            assertThat(r.readAll()).containsExactly(records.get(0), records.get(1), End.INSTANCE);
        }
    }

    @Test
    void version1WritesFeaturesAsZeroAndReadsThemAsZero() throws Exception {
        DomainData d = new DomainData(9, 3, List.of());
        byte[] v1 = Streams.write(List.of(d), MigrationWriter.Options.v1().withOrder(ByteOrder.LITTLE_ENDIAN));
        assertThat(HEX.formatHex(v1)).isEqualTo(HEX.formatHex(hex("78656e73746f7265 00000001 00000000"
                + "07000000 08000000 | 0900 0000 00000000" + "00000000 00000000")));
        // a v1 stream with features set anyway: ignored, as the specification says of fields not valid in a version
        byte[] stray = Raw.v1().record(RecordType.DOMAIN_DATA, Raw.v1().body().u16(9).u16(0).u32(3)).end().bytes();
        assertThat(Streams.read(stray).get(0)).isEqualTo(new DomainData(9, 0, List.of()));
    }

    @Test
    void version1RefusesExtendedWatches() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (MigrationWriter w = MigrationWriter.to(sink, MigrationWriter.Options.v1())) {
            w.write(ConnectionData.idle(1, new ConnectionData.Socket(4)));
            WatchDataExtended ext = new WatchDataExtended(1, "/a", "t", 0);
            long before = w.position();
            assertThatThrownBy(() -> w.write(ext)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("version 2");
            assertThat(w.position()).isEqualTo(before);
            w.write(ext.asPlainWatch());
            w.end();
        }
        assertThat(Streams.read(sink.toByteArray())).contains(new WatchData(1, "/a", "t"));
    }

    @Test
    void writerRefusesWhatTheReaderWouldReject() throws Exception {
        try (MigrationWriter w = MigrationWriter.to(new ByteArrayOutputStream(), MigrationWriter.Options.v2())) {
            assertThatThrownBy(() -> w.write(new WatchData(1, "/a", "t")))
                    .hasMessageContaining("without an earlier CONNECTION_DATA");
            w.write(new GlobalData(-1, -1));
            assertThatThrownBy(() -> w.write(new GlobalData(-1, -1))).hasMessageContaining("second GLOBAL_DATA");
            w.write(ConnectionData.idle(1, new ConnectionData.Socket(4)));
            assertThatThrownBy(() -> w.write(ConnectionData.idle(1, new ConnectionData.Socket(5))))
                    .hasMessageContaining("second CONNECTION_DATA");
            assertThatThrownBy(() -> w.write(new NodeData(1, 2, 0, List.of(), "/a", null)))
                    .hasMessageContaining("without an earlier TRANSACTION_DATA");
            w.write(new TransactionData(1, 2));
            w.write(new NodeData(1, 2, 0, List.of(), "/a", null));
            assertThatThrownBy(() -> w.write(End.INSTANCE)).isInstanceOf(IllegalArgumentException.class);
            w.end();
            assertThatThrownBy(w::end).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> w.write(new DomainData(1, 0, List.of())))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void recordsRefuseImpossibleValues() {
        assertThatThrownBy(() -> new WatchData(1, "/a\0b", "t")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> new WatchData(1, "", "t")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new WatchData(1, "/\u0100", "t")).hasMessageContaining("0xff");
        assertThatThrownBy(() -> NodeData.committed("a", List.of(NodePerm.of(NodePerm.Access.NONE, 0)), null))
                .hasMessageContaining("neither absolute");
        assertThatThrownBy(() -> NodeData.committed("/a", List.of(), null)).hasMessageContaining("without perm");
        assertThatThrownBy(() -> NodeData.committed("/a", List.of(NodePerm.of(NodePerm.Access.NONE, 0)),
                new byte[65536])).hasMessageContaining("value length");
        assertThatThrownBy(() -> new ConnectionData.Ring(0x7ff0, ConnectionData.DOMID_INVALID, 1))
                .hasMessageContaining("not a domain id");
        assertThatThrownBy(() -> new ConnectionData(1, new ConnectionData.Socket(3), null, new byte[2], 3,
                OptionalLong.empty())).hasMessageContaining("out-resp-len");
        assertThatThrownBy(() -> new QuotaValue("a", 1L << 32)).hasMessageContaining("quota value");
        assertThatThrownBy(() -> new UnknownRecord(RecordType.NODE_DATA, new byte[0]))
                .hasMessageContaining("known record type");
        assertThatThrownBy(() -> new TransactionData(1, 0)).hasMessageContaining("transaction id 0");
    }
}
