package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.DIRECTORY;
import static org.jxenstored.wire.XsTestClient.DIRECTORY_PART;
import static org.jxenstored.wire.XsTestClient.PAYLOAD_MAX;
import static org.jxenstored.wire.XsTestClient.WRITE;
import static org.jxenstored.wire.XsTestClient.cat;
import static org.jxenstored.wire.XsTestClient.expectError;
import static org.jxenstored.wire.XsTestClient.expectOk;
import static org.jxenstored.wire.XsTestClient.latin1;
import static org.jxenstored.wire.XsTestClient.nul;
import static org.jxenstored.wire.XsTestClient.repeat;
import static org.jxenstored.wire.XsTestClient.show;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jxenstored.wire.XsTestClient.Msg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DIRECTORY_PART {@code <path>|<offset>|} answered {@code <gencnt>|<names from the byte offset>}, the last chunk with
 * an extra NUL (as C xenstored sends it and libxenstore expects it).
 */
class DirectoryPartTest extends WireTestBase {

    private Msg part(String path, String offset) {
        return c.request(DIRECTORY_PART, nul(path, offset));
    }

    /** Splits a DIRECTORY_PART reply into its generation (digits) and the rest. */
    private static String[] genAndRest(Msg m) {
        assertThat(XsTestClient.typeName(m.type())).as("reply %s", m).isEqualTo("DIRECTORY_PART");
        String s = m.text();
        int nul = s.indexOf('\0');
        assertThat(nul).as("generation terminator in %s", m).isGreaterThan(0);
        String gen = s.substring(0, nul);
        assertThat(gen).as("generation of %s", m).matches("[0-9]+");
        return new String[] {gen, s.substring(nul + 1)};
    }

    private void threeChildren() {
        for (String n : List.of("aa", "b", "ccc")) {
            expectOk(c.write(base + "/" + n, ""), WRITE);
        }
    }

    @Test
    void wholeSmallDirectoryInOneFinalChunk() {
        threeChildren();
        String[] r = genAndRest(part(base, "0"));
        assertThat(r[1]).isEqualTo("aa\0b\0ccc\0\0");
    }

    static Stream<Arguments> byteOffsets() {
        return Stream.of(
                Arguments.of("1", "a\0b\0ccc\0\0"), // offsets are bytes: the middle of a name gives its tail
                Arguments.of("2", "\0b\0ccc\0\0"),
                Arguments.of("3", "b\0ccc\0\0"),
                Arguments.of("5", "ccc\0\0"),
                Arguments.of("8", "\0\0"),
                Arguments.of("9", "\0"), // exactly the end of the list
                Arguments.of("10", "\0"), // past the end
                Arguments.of("100", "\0"));
    }

    @ParameterizedTest
    @MethodSource("byteOffsets")
    void offsetsAreByteOffsetsIntoTheNameList(String offset, String expected) {
        threeChildren();
        String[] r = genAndRest(part(base, offset));
        assertThat(show(latin1(r[1]))).isEqualTo(show(latin1(expected)));
    }

    /** C reads the offset with atoi(): leading blanks and sign, then digits; anything else is 0. */
    static Stream<Arguments> atoiOffsets() {
        return Stream.of(
                Arguments.of("abc", "aa\0b\0ccc\0\0"),
                Arguments.of("", "aa\0b\0ccc\0\0"),
                Arguments.of("3x", "b\0ccc\0\0"),
                Arguments.of(" 3", "b\0ccc\0\0"),
                Arguments.of("-1", "\0")); // negative: far past the end (an unsigned offset in C)
    }

    @ParameterizedTest
    @MethodSource("atoiOffsets")
    void offsetIsParsedLikeAtoi(String offset, String expected) {
        threeChildren();
        String[] r = genAndRest(part(base, offset));
        assertThat(show(latin1(r[1]))).isEqualTo(show(latin1(expected)));
    }

    @Test
    void leafAndEmptyDirectoryGiveJustTheFinalNul() {
        expectOk(c.write(base + "/leaf", "v"), WRITE);
        assertThat(genAndRest(part(base + "/leaf", "0"))[1]).isEqualTo("\0");
        assertThat(genAndRest(part(base + "/leaf", "1"))[1]).isEqualTo("\0");
        expectOk(c.mkdir(base + "/empty"), XsTestClient.MKDIR);
        assertThat(genAndRest(part(base + "/empty", "0"))[1]).isEqualTo("\0");
    }

    @Test
    void missingNodesAndInvalidPaths() {
        expectOk(c.write(base + "/a", ""), WRITE);
        expectError(part(base + "/nope", "0"), "ENOENT");
        expectError(part(base + "/nope/nope", "0"), "ENOENT");
        expectError(part(base + "/", "0"), "EINVAL");
        expectError(part(base + "//a", "0"), "EINVAL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"path-only", "unterminated-offset", "extra-argument", "empty"})
    void malformedPayloadsAreEinval(String kind) {
        threeChildren();
        byte[] p;
        switch (kind) {
            case "path-only":
                p = nul(base);
                break;
            case "unterminated-offset":
                p = cat(nul(base), latin1("0"));
                break;
            case "extra-argument":
                p = nul(base, "0", "extra");
                break;
            default:
                p = new byte[0];
        }
        expectError(c.request(DIRECTORY_PART, p), "EINVAL");
    }

    @Test
    void relativePathResolvesUnderDom0Home() {
        String rel = base.substring(1);
        expectOk(c.write(rel + "/kid", ""), WRITE);
        assertThat(genAndRest(part(rel, "0"))[1]).isEqualTo("kid\0\0");
    }

    @Test
    void generationChangesWhenTheChildListChanges() {
        threeChildren();
        String g0 = genAndRest(part(base, "0"))[0];
        expectOk(c.write(base + "/new", ""), WRITE);
        String[] r1 = genAndRest(part(base, "0"));
        assertThat(r1[1]).isEqualTo("aa\0b\0ccc\0new\0\0");
        assertThat(r1[0]).isNotEqualTo(g0);
        expectOk(c.rm(base + "/b"), XsTestClient.RM);
        String[] r2 = genAndRest(part(base, "0"));
        assertThat(r2[1]).isEqualTo("aa\0ccc\0new\0\0");
        assertThat(r2[0]).isNotEqualTo(r1[0]).isNotEqualTo(g0);
    }

    @Test
    void generationIsStableWhileTheNodeIsUnchanged() {
        threeChildren();
        String g0 = genAndRest(part(base, "0"))[0];
        assertThat(genAndRest(part(base, "0"))[0]).isEqualTo(g0);
        // a read, an unrelated write and a write of a child's value leave the directory node alone
        c.read(base);
        expectOk(c.write(base + "-other", "x"), WRITE);
        expectOk(c.write(base + "/aa", "x"), WRITE);
        assertThat(genAndRest(part(base, "0"))[0]).isEqualTo(g0);
        assertThat(genAndRest(part(base, "5"))[0]).isEqualTo(g0);
    }

    @Test
    void generationChangesWhenTheNodeItselfIsWrittenOrItsPermissionsSet() {
        threeChildren();
        String g0 = genAndRest(part(base, "0"))[0];
        expectOk(c.write(base, "x"), WRITE);
        String g1 = genAndRest(part(base, "0"))[0];
        assertThat(g1).isNotEqualTo(g0);
        expectOk(c.setPerms(base, "n0", "r1"), XsTestClient.SET_PERMS);
        assertThat(genAndRest(part(base, "0"))[0]).isNotEqualTo(g1);
    }

    /** Reads the whole list chunk by chunk; checks every chunk is whole names and fits; returns the list. */
    private byte[] readInChunks(String path, List<Integer> chunkSizes) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        String gen = null;
        int offset = 0;
        for (int round = 0; round < 100; round++) {
            Msg m = part(path, Integer.toString(offset));
            assertThat(m.payload().length).as("chunk size").isLessThanOrEqualTo(PAYLOAD_MAX);
            String[] r = genAndRest(m);
            if (gen == null) {
                gen = r[0];
            }
            assertThat(r[0]).as("generation of every chunk").isEqualTo(gen);
            byte[] rest = latin1(r[1]);
            chunkSizes.add(m.payload().length);
            boolean last = rest.length == 1 || (rest.length >= 2 && rest[rest.length - 2] == 0
                    && rest[rest.length - 1] == 0);
            if (last) {
                all.write(rest, 0, rest.length - 1);
                return all.toByteArray();
            }
            assertThat(rest).as("a chunk holds whole names").isNotEmpty();
            assertThat(rest[rest.length - 1]).as("a chunk ends with a NUL").isEqualTo((byte) 0);
            all.write(rest, 0, rest.length);
            offset += rest.length;
        }
        throw new AssertionError("DIRECTORY_PART never sent a final chunk");
    }

    @Test
    void largeDirectoryReassembledEqualsDirectoryOrder() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            names.add(String.format("n%03d", i) + repeat('y', 45)); // 50 bytes with the NUL: 5000 in all
        }
        // creation order differs from sorted order
        java.util.Collections.shuffle(names, new java.util.Random(42));
        for (String n : names) {
            expectOk(c.write(base + "/" + n, ""), WRITE);
        }
        expectError(c.directory(base), "E2BIG");
        List<Integer> sizes = new ArrayList<>();
        byte[] whole = readInChunks(base, sizes);
        assertThat(show(whole)).isEqualTo(show(nul(names.toArray(new String[0]))));
        assertThat(sizes).hasSize(2);
    }

    @Test
    void chunkingMatchesADirectoryReplyWhenTheListFits() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            names.add("k" + i + repeat('q', i % 7));
            expectOk(c.write(base + "/" + names.get(i), ""), WRITE);
        }
        Msg dir = c.directory(base);
        assertThat(dir.type()).isEqualTo(DIRECTORY);
        byte[] whole = readInChunks(base, new ArrayList<>());
        assertThat(show(whole)).isEqualTo(show(dir.payload()));
    }

    /**
     * Around the size limit: a chunk is {@code <gen>|} plus as many whole names as fit while leaving room for the
     * final extra NUL; so a list fits in one chunk iff genLen + 1 + listLen + 1 <= 4096 (as in C 4.17).
     */
    @Test
    void chunkBoundaryAtThePayloadLimit() {
        for (int total = 4086; total <= 4095; total++) {
            String dir = base + "/d" + total;
            List<String> names = NodeOpsTest.makeChildren(c, dir, total);
            byte[] list = nul(names.toArray(new String[0]));
            Msg first = part(dir, "0");
            String[] r = genAndRest(first);
            int genLen = r[0].length() + 1;
            byte[] rest = latin1(r[1]);
            if (genLen + list.length + 1 <= PAYLOAD_MAX) {
                assertThat(show(rest)).as("list of %d bytes, gen %s: one final chunk", total, r[0])
                        .isEqualTo(show(cat(list, new byte[1])));
            } else {
                // all names but the last fit; the last comes in a second, final chunk
                byte[] head = Arrays.copyOf(list, list.length - names.get(names.size() - 1).length() - 1);
                assertThat(show(rest)).as("list of %d bytes, gen %s: first chunk", total, r[0])
                        .isEqualTo(show(head));
                String[] r2 = genAndRest(part(dir, Integer.toString(head.length)));
                assertThat(r2[1]).isEqualTo(names.get(names.size() - 1) + "\0\0");
            }
        }
    }

    @Test
    void directoryPartInsideATransactionSeesTheTransactionView() {
        threeChildren();
        int tx = c.startTransaction();
        expectOk(c.write(tx, base + "/intx", ""), WRITE);
        Msg m = c.request(DIRECTORY_PART, tx, nul(base, "0"));
        assertThat(m.txId()).isEqualTo(tx);
        assertThat(genAndRest(m)[1]).isEqualTo("aa\0b\0ccc\0intx\0\0");
        assertThat(genAndRest(part(base, "0"))[1]).isEqualTo("aa\0b\0ccc\0\0");
        expectOk(c.endTransaction(tx, false), XsTestClient.TRANSACTION_END);
    }
}
