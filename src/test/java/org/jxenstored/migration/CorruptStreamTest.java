package org.jxenstored.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Each way a stream can be broken: a MigrationStreamException naming the problem and where it is. */
class CorruptStreamTest {
    private static final int FIRST = 16; // offset of the first record
    private static final int BODY = FIRST + 8; // offset of the first record's body

    private static MigrationStreamException fails(byte[] stream) {
        return failsWith(() -> Streams.read(stream));
    }

    private static MigrationStreamException failsWith(ThrowingCallable read) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(read);
        assertThat(t).isInstanceOf(MigrationStreamException.class);
        return (MigrationStreamException) t;
    }

    private static void assertFails(byte[] stream, long offset, String message) {
        MigrationStreamException e = fails(stream);
        assertThat(e.getMessage()).contains(message);
        assertThat(e.offset()).as(e.getMessage()).isEqualTo(offset);
        // the same from a stream of unknown size
        MigrationStreamException e2 = failsWith(() -> {
            try (MigrationReader r = MigrationReader.from(new ByteArrayInputStream(stream))) {
                r.readAll();
            }
        });
        assertThat(e2.offset()).as(e2.getMessage()).isEqualTo(offset);
    }

    private static byte[] cut(byte[] b, int len) {
        return Arrays.copyOf(b, len);
    }

    // ---------------------------------------------------------------- header

    @Test
    void emptyAndShortHeaders() {
        assertFails(new byte[0], 0, "truncated stream header (0 of 16 bytes)");
        assertFails("xenst".getBytes(StandardCharsets.US_ASCII), 5, "truncated stream header (5 of 16 bytes)");
        assertFails(cut(Raw.v1().end().bytes(), 12), 12, "truncated stream header");
    }

    @Test
    void badMagic() {
        byte[] s = Raw.v1().end().bytes();
        s[7] = 'f';
        assertFails(s, 0, "not a xenstore migration stream");
        assertFails("XEN".getBytes(StandardCharsets.US_ASCII), 0, "not a xenstore migration stream");
        assertFails(new byte[100], 0, "not a xenstore migration stream");
    }

    @Test
    void unknownVersions() {
        assertFails(Raw.header(0, 0).end().bytes(), 8, "unsupported migration stream version 0");
        assertFails(Raw.header(3, 0).end().bytes(), 8, "unsupported migration stream version 3");
        assertFails(Raw.header(-1, 0).end().bytes(), 8, "version 4294967295");
        // little-endian version word: 0x01000000
        assertFails(Raw.header(0x01000000, 0).end().bytes(), 8, "version 16777216");
    }

    @Test
    void reservedFlags() {
        assertFails(Raw.header(1, 2).end().bytes(), 12, "reserved header flags set: 0x00000002");
        assertFails(Raw.header(1, 0x80000001).end().bytes(), 12, "reserved header flags");
    }

    // ---------------------------------------------------------------- framing

    @Test
    void missingEnd() {
        assertFails(Raw.v1().bytes(), FIRST, "stream ends without an END record");
        Raw r = Raw.v1().record(RecordType.GLOBAL_DATA, Raw.v1().body().u32(3).u32(4));
        assertFails(r.bytes(), FIRST + 16, "stream ends without an END record");
    }

    @Test
    void truncatedRecordHeader() {
        assertFails(cut(Raw.v1().end().bytes(), FIRST + 3), FIRST, "truncated record header (3 of 8 bytes)");
    }

    @Test
    void truncatedBody() {
        byte[] s = Raw.v1().record(RecordType.GLOBAL_DATA, Raw.v1().body().u32(3).u32(4)).end().bytes();
        // known size: the length overruns what is left
        assertThat(fails(cut(s, BODY + 5)).getMessage()).contains("record length 8 overruns the stream (5 bytes left)");
        // unknown size: read until the bytes run out
        MigrationStreamException e = failsWith(() -> {
            try (MigrationReader r = MigrationReader.from(new ByteArrayInputStream(cut(s, BODY + 5)))) {
                r.readAll();
            }
        });
        assertThat(e.getMessage()).contains("GLOBAL_DATA: truncated record (5 of 8 body bytes)");
        assertThat(e.offset()).isEqualTo(BODY + 5);
    }

    @Test
    void lengthNotAMultipleOf8() {
        byte[] s = Raw.v1().record(RecordType.GLOBAL_DATA, 9, new byte[16]).end().bytes();
        assertFails(s, FIRST + 4, "GLOBAL_DATA: record length 9 not a multiple of 8");
    }

    @Test
    void lengthsOverrunningTheStream() {
        byte[] s = Raw.v1().record(RecordType.NODE_DATA, 0xfffffff8L, new byte[0]).end().bytes();
        assertThat(fails(s).getMessage()).contains("record length 4294967288 overruns the stream (8 bytes left)");
        assertThat(fails(s).offset()).isEqualTo(FIRST + 4);
        byte[] unknownType = Raw.v1().record(77, 1L << 30, new byte[0]).end().bytes();
        assertThat(fails(unknownType).getMessage()).contains("type 0x0000004d: record length 1073741824 overruns");
    }

    @Test
    void endWithABodyOrFollowedByData() throws IOException {
        assertFails(Raw.v1().record(RecordType.END, 8, new byte[8]).bytes(), FIRST + 4, "END record with a body");
        byte[] trailing = Raw.v1().end().raw(new byte[] {0}).bytes();
        assertFails(trailing, FIRST + 8, "data after the END record");
        try (MigrationReader r = MigrationReader.from(trailing).allowTrailingData()) {
            assertThat(r.readAll()).containsExactly(End.INSTANCE);
        }
    }

    // ---------------------------------------------------------------- CONNECTION_DATA

    private static Raw.Body conn(Raw r, int id, int type, int fields, int in, int resp, long out) {
        return r.body().u32(id).u16(type).u16(fields).u32(9).u32(0).u16(in).u16(resp).u32(out);
    }

    @Test
    void connectionFields() {
        Raw r = Raw.v1();
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA, conn(r, 1, 2, 0, 0, 0, 0)).end().bytes(), BODY + 4,
                "connection type 2 (known: 0 ring, 1 socket)");
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA, conn(r, 0, 1, 0, 0, 0, 0)).end().bytes(), BODY,
                "connection id 0");
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA, conn(r, 1, 1, 2, 0, 0, 0)).end().bytes(), BODY + 6,
                "unknown fields 0x0002");
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA, conn(r, 1, 1, 0, 4, 0, 5)).end().bytes(), BODY + 16,
                "pending data (in 4 + out 5 bytes) ends at body byte 33 but the record body has 24");
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA, conn(r, 1, 1, 0, 0, 3, 2).zeros(8)).end().bytes(),
                BODY + 18, "out-resp-len 3 exceeds out-data-len 2");
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA, conn(r, 1, 1, 1, 0, 0, 0)).end().bytes(), BODY + 24,
                "unique-id ends at body byte 32");
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA, Raw.v1().body().u32(1).u16(1)).end().bytes(), BODY,
                "connection header ends at body byte 24 but the record body has 8");
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA,
                r.body().u32(1).u16(1).u16(0).u32(-2).u32(0).u16(0).u16(0).u32(0)).end().bytes(), BODY + 8,
                "socket fd -2");
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA,
                r.body().u32(1).u16(0).u16(0).u16(0x7ff0).u16(0x7ff4).u32(1).u16(0).u16(0).u32(0)).end().bytes(),
                BODY + 8, "ring domid 32752 is a reserved domain id");
        assertFails(Raw.v1().record(RecordType.CONNECTION_DATA,
                r.body().u32(1).u16(0).u16(0).u16(1).u16(0x7ff5).u32(1).u16(0).u16(0).u32(0)).end().bytes(),
                BODY + 10, "ring target domid 32757 is a reserved domain id");
    }

    @Test
    void duplicateIdsAndRecords() {
        Raw r = Raw.v1();
        r.record(RecordType.CONNECTION_DATA, Raw.socketConn(r, 1, 5));
        int second = r.offset();
        r.record(RecordType.CONNECTION_DATA, Raw.socketConn(r, 1, 6)).end();
        assertFails(r.bytes(), second, "second CONNECTION_DATA with id 1");

        Raw g = Raw.v1().record(RecordType.GLOBAL_DATA, Raw.v1().body().u32(3).u32(4));
        int at = g.offset();
        g.record(RecordType.GLOBAL_DATA, Raw.v1().body().u32(3).u32(4)).end();
        assertFails(g.bytes(), at, "second GLOBAL_DATA");

        Raw d = Raw.v1().record(RecordType.DOMAIN_DATA, Raw.v1().body().u16(3).u16(0).u32(0));
        at = d.offset();
        d.record(RecordType.DOMAIN_DATA, Raw.v1().body().u16(3).u16(0).u32(0)).end();
        assertFails(d.bytes(), at, "second DOMAIN_DATA for domain 3");
    }

    // ---------------------------------------------------------------- WATCH_DATA, TRANSACTION_DATA

    @Test
    void watches() {
        Raw r = Raw.v1();
        r.record(RecordType.CONNECTION_DATA, Raw.socketConn(r, 1, 5));
        int at = r.offset();
        byte[] base = r.bytes();
        assertFails(Raw.v1().record(RecordType.WATCH_DATA, r.body().u32(1).u16(3).u16(2).cstr("/a").cstr("t"))
                .end().bytes(), FIRST, "WATCH_DATA for connection 1 without an earlier CONNECTION_DATA");
        assertFails(with(base, RecordType.WATCH_DATA, r.body().u32(1).u16(0).u16(2).cstr("t")), at + 8 + 8,
                "watch path length 0 (it counts the NUL)");
        assertFails(with(base, RecordType.WATCH_DATA, r.body().u32(1).u16(3).u16(2).str("/ab").cstr("t")),
                at + 8 + 10, "watch path not NUL-terminated"); // its NUL comes one byte late
        assertFails(with(base, RecordType.WATCH_DATA, r.body().u32(1).u16(4).u16(2).cstr("/a").cstr("t")),
                at + 8 + 10, "watch path has a NUL at byte 2 of 4");
        assertFails(with(base, RecordType.WATCH_DATA, r.body().u32(1).u16(1).u16(2).cstr("").cstr("t")),
                at + 8 + 8, "empty watch path");
        assertFails(with(base, RecordType.WATCH_DATA, r.body().u32(1).u16(3).u16(9).cstr("/a").cstr("t")),
                at + 8 + 11, "watch token ends at body byte 20 but the record body has 16");
        assertFails(with(base, RecordType.WATCH_DATA, r.body().u32(0).u16(3).u16(2).cstr("/a").cstr("t")),
                at + 8, "connection id 0");
    }

    @Test
    void transactions() {
        Raw r = Raw.v1();
        r.record(RecordType.CONNECTION_DATA, Raw.socketConn(r, 1, 5));
        int at = r.offset();
        byte[] base = r.bytes();
        assertFails(with(base, RecordType.TRANSACTION_DATA, r.body().u32(1).u32(0)), at + 8 + 4, "transaction id 0");
        assertFails(with(base, RecordType.TRANSACTION_DATA, r.body().u32(2).u32(1)), at,
                "TRANSACTION_DATA for connection 2 without an earlier CONNECTION_DATA");
        assertFails(Raw.v1().raw(Arrays.copyOfRange(base, 16, base.length))
                .record(RecordType.TRANSACTION_DATA, 0, new byte[0]).end().bytes(), at + 8,
                "TRANSACTION_DATA ends at body byte 8 but the record body has 0");
    }

    /** {@code base} (header and records) plus one record and END. */
    private static byte[] with(byte[] base, int type, Raw.Body body) {
        return Raw.v1().raw(Arrays.copyOfRange(base, 16, base.length)).record(type, body).end().bytes();
    }

    // ---------------------------------------------------------------- NODE_DATA

    private static Raw.Body nodeHead(Raw r, int connId, int txId, int pathLen, int valueLen, int access, int perms) {
        return r.body().u32(connId).u32(txId).u16(pathLen).u16(valueLen).u16(access).u16(perms);
    }

    @Test
    void nodes() {
        Raw r = Raw.v1();
        byte[] none = Raw.v1().bytes();
        assertFails(with(none, RecordType.NODE_DATA, nodeHead(r, 0, 0, 3, 0, 0, 1).u8('x').u8(0).u16(0).cstr("/a")),
                BODY + 16, "permission 0: access 0x78 (known: n r w b)");
        assertFails(with(none, RecordType.NODE_DATA, nodeHead(r, 0, 0, 3, 0, 0, 1).u8('r').u8(2).u16(0).cstr("/a")),
                BODY + 17, "permission 0: flags 0x02 (known: 0x01 stale)");
        assertFails(with(none, RecordType.NODE_DATA, nodeHead(r, 0, 0, 3, 0, 0, 0).cstr("/a")), BODY + 14,
                "committed node \"/a\" without permissions");
        assertFails(with(none, RecordType.NODE_DATA, nodeHead(r, 0, 0, 2, 0, 0, 1).u8('n').u8(0).u16(0).cstr("a")),
                BODY + 20, "node path neither absolute nor special: \"a\"");
        assertFails(with(none, RecordType.NODE_DATA, nodeHead(r, 0, 0, 3, 40, 0, 1).u8('n').u8(0).u16(0).cstr("/a")),
                BODY + 10, "node value (40 bytes) ends at body byte 63 but the record body has 24");
        assertFails(with(none, RecordType.NODE_DATA, nodeHead(r, 0, 0, 3, 0, 0, 5000).cstr("/a")), BODY + 14,
                "5000 permissions ends at body byte 20016");
        assertFails(with(none, RecordType.NODE_DATA, nodeHead(r, 0, 0, 3, 0, 0, 1).u8('n').u8(0).u16(0).str("/ab")),
                BODY + 22, "node path not NUL-terminated");
        assertFails(with(none, RecordType.NODE_DATA, nodeHead(r, 0, 0, 3, 0, 0, 1).u8('n').u8(0).u16(0)), BODY + 20,
                "node path has a NUL at byte 0 of 3"); // padding is no path
        assertFails(Raw.v1().record(RecordType.NODE_DATA, 16, nodeHead(r, 0, 0, 3, 0, 0, 1).unpadded()).end().bytes(),
                BODY + 14, "1 permissions ends at body byte 20 but the record body has 16");
    }

    @Test
    void pendingNodes() {
        Raw r = Raw.v1();
        r.record(RecordType.CONNECTION_DATA, Raw.socketConn(r, 1, 5));
        r.record(RecordType.TRANSACTION_DATA, r.body().u32(1).u32(7));
        int at = r.offset();
        byte[] base = r.bytes();
        assertFails(with(base, RecordType.NODE_DATA, nodeHead(r, 1, 8, 3, 0, 0, 0).cstr("/a")), at,
                "pending node \"/a\" of transaction 8 on connection 1 without an earlier TRANSACTION_DATA");
        assertFails(with(base, RecordType.NODE_DATA, nodeHead(r, 1, 7, 3, 0, 4, 1).u8('n').u8(0).u16(0).cstr("/a")),
                at + 8 + 12, "pending node access 0x4");
        assertFails(with(base, RecordType.NODE_DATA, nodeHead(r, 1, 7, 3, 1, 0, 0).cstr("/a").u8('v')), at + 8 + 14,
                "deleted pending node \"/a\" with a value or an access");
    }

    // ---------------------------------------------------------------- quotas, domains

    @Test
    void quotasAndDomains() {
        Raw r = Raw.v2();
        byte[] none = Raw.v2().bytes();
        assertFails(with2(none, RecordType.GLOBAL_QUOTA_DATA, r.body().u16(1).u16(0).u32(5).str("nodesabc")), BODY + 8,
                "quota name 0 of 1 not NUL-terminated");
        assertFails(with2(none, RecordType.GLOBAL_QUOTA_DATA, r.body().u16(100).u16(100).u32(5)), BODY,
                "200 quota values ends at body byte 804");
        assertFails(with2(none, RecordType.DOMAIN_DATA, r.body().u16(0x7ff4).u16(0).u32(0)), BODY,
                "domain id 32756 is a reserved domain id");
        assertFails(with2(none, RecordType.DOMAIN_DATA, r.body().u16(1).u16(2).u32(0).u32(1).u32(2).cstr("a").str("bcdefg")),
                BODY + 18, "quota name 1 of 2 not NUL-terminated");
    }

    private static byte[] with2(byte[] base, int type, Raw.Body body) {
        return Raw.v2().raw(Arrays.copyOfRange(base, 16, base.length)).record(type, body).end().bytes();
    }

    @Test
    void unknownRecordsAreSkippedAndKept() throws IOException {
        byte[] s = Raw.v1().record(9, 8, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).record(-2, 0, new byte[0]).end().bytes();
        List<MigrationRecord> records = Streams.read(s);
        assertThat(records).containsExactly(new UnknownRecord(9, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                new UnknownRecord(-2, new byte[0]), End.INSTANCE);
        assertThat(Streams.write(records, MigrationWriter.Options.v1().withOrder(java.nio.ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo(s);
    }

    @Test
    void paddingIsIgnoredWhenRead() throws IOException {
        byte[] body = Raw.v1().body().u32(3).u32(4).padded();
        byte[] noisy = Raw.v1().record(RecordType.TRANSACTION_DATA, 16, Arrays.copyOf(body, 16)).bytes();
        // a GLOBAL_DATA whose record is longer than its fields: the rest is padding, ignored
        byte[] s = Raw.v1().record(RecordType.GLOBAL_DATA, 16,
                new byte[] {3, 0, 0, 0, 4, 0, 0, 0, (byte) 0xee, (byte) 0xee, 0, 0, 0, 0, 0, 0}).end().bytes();
        assertThat(noisy).isNotEmpty();
        assertThatThrownBy(() -> Streams.read(noisy)).isInstanceOf(MigrationStreamException.class);
        assertThat(List.of(Streams.read(s).get(0))).containsExactly(new GlobalData(3, 4));
    }
}
