package org.jxenstored.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * WATCH_DATA_EXTENDED as the specification lays it out, and as C 4.21+ actually writes it: {@code dump_state_watches}
 * fills {@code head.length = ROUNDUP(sizeof(struct xs_state_watch_ext) + path + token, 8)} (12 + ...) but writes
 * {@code fwrite(&swe, sizeof(sw), ...)}, 8 bytes: no depth, the path at offset 8, and, when the two roundings differ,
 * a length 8 bytes longer than what follows, so that the next record's header sits inside the claimed body.
 */
class WatchExtendedLayoutTest {
    /** A record exactly as C's writer emits it, followed by its zero padding (dump_state_align). */
    private static Raw cWatchExt(Raw r, int connId, String path, String token) {
        int p = path.length() + 1;
        int t = token.length() + 1;
        long claimed = (12L + p + t + 7) & ~7L;
        Raw.Body written = r.body().u32(connId).u16(p).u16(t).cstr(path).cstr(token);
        return r.record(RecordType.WATCH_DATA_EXTENDED, claimed, written.padded());
    }

    private static Raw withConnection() {
        Raw r = Raw.v2();
        return r.record(RecordType.CONNECTION_DATA, Raw.socketConn(r, 1, 5));
    }

    @ParameterizedTest(name = "path {0} token {1}")
    @CsvSource({
        "/a, t",              // 3 + 2: claims 24, writes 16 (the next header is inside the claim)
        "/ab, tok",           // 4 + 4: claims 24, writes 16
        "/abc, t",            // 5 + 2: claims 24, writes 16
        "data, tok",          // 5 + 4: claims 24, writes 24
        "/a, ''",             // 3 + 1: claims 16, writes 16
        "/local/domain/9/device/vif, backend-watch-token", // 27 + 20
    })
    void readsCsLayoutAndKeepsInStep(String path, String token) throws Exception {
        Raw r = withConnection();
        cWatchExt(r, 1, path, token);
        r.record(RecordType.NODE_DATA, Raw.node(r, "/x", 0, new byte[] {'v'}));
        cWatchExt(r, 1, path + "2", token);
        r.end(); // right after a record that may claim 8 bytes too many: END is inside the claim
        List<MigrationRecord> read = Streams.read(r.bytes());
        assertThat(read.subList(1, read.size())).containsExactly(
                new WatchData(1, path, token), // the depth is lost: unlimited, the safe side
                NodeData.committed("/x", List.of(NodePerm.of(NodePerm.Access.NONE, 0)), new byte[] {'v'}),
                new WatchData(1, path + "2", token),
                End.INSTANCE);
    }

    @Test
    void c417StillLosesAWatchReadFromCsLayout() throws Exception {
        Raw r = Raw.v1(); // C 4.21+ writes WATCH_DATA_EXTENDED in v1 streams too
        r.record(RecordType.GLOBAL_DATA, r.body().u32(3).u32(6));
        r.record(RecordType.CONNECTION_DATA, Raw.ringConn(r, 1, 0, 2));
        int at = r.offset();
        cWatchExt(r, 1, "/a", "t").end();
        try (MigrationReader reader = MigrationReader.from(r.bytes())) {
            C417Compatibility.Report report = C417Compatibility.check(reader, C417Compatibility.Options.defaults());
            assertThat(report.violations()).extracting(C417Compatibility.Violation::rule, v -> v.offset())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(C417Compatibility.Rule.WATCH_EXTENDED,
                            (long) at));
        }
    }

    @Test
    void readsTheSpecificationsLayout() throws Exception {
        Raw r = withConnection();
        r.record(RecordType.WATCH_DATA_EXTENDED, r.body().u32(1).u16(3).u16(2).u16(4).u16(0).cstr("/a").cstr("t"));
        r.end();
        assertThat(Streams.read(r.bytes())).contains(new WatchDataExtended(1, "/a", "t", 4));
    }

    @Test
    void neitherLayoutIsReportedAgainstTheSpecification() {
        Raw r = withConnection();
        int at = r.offset();
        r.record(RecordType.WATCH_DATA_EXTENDED, r.body().u32(1).u16(3).u16(2).u16(4).u16(0).str("/ab").cstr("t"));
        r.end();
        assertThatThrownBy(() -> Streams.read(r.bytes())).isInstanceOf(MigrationStreamException.class)
                .hasMessageContaining("WATCH_DATA_EXTENDED: watch path not NUL-terminated")
                .extracting(e -> ((MigrationStreamException) e).offset()).isEqualTo((long) at + 8 + 14);
    }

    @Test
    void writerUsesTheSpecificationsLayout() throws Exception {
        WatchDataExtended w = new WatchDataExtended(1, "/a", "t", 7);
        byte[] s = Streams.write(List.of(ConnectionData.idle(1, new ConnectionData.Socket(5)), w),
                MigrationWriter.Options.v2());
        assertThat(Streams.read(s)).contains(w);
    }
}
