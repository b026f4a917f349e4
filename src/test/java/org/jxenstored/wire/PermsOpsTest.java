package org.jxenstored.wire;

import static org.jxenstored.wire.XsTestClient.GET_PERMS;
import static org.jxenstored.wire.XsTestClient.MKDIR;
import static org.jxenstored.wire.XsTestClient.SET_PERMS;
import static org.jxenstored.wire.XsTestClient.WRITE;
import static org.jxenstored.wire.XsTestClient.cat;
import static org.jxenstored.wire.XsTestClient.expectError;
import static org.jxenstored.wire.XsTestClient.expectOk;
import static org.jxenstored.wire.XsTestClient.expectReply;
import static org.jxenstored.wire.XsTestClient.latin1;
import static org.jxenstored.wire.XsTestClient.nul;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jxenstored.wire.XsTestClient.Msg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GET_PERMS and SET_PERMS as Dom0 (socket clients are privileged). */
class PermsOpsTest extends WireTestBase {

    private void node() {
        expectOk(c.write(base, "v"), WRITE);
    }

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of(new String[] {"n0", "r5"}, new String[] {"n0", "r5"}),
                Arguments.of(new String[] {"n0"}, new String[] {"n0"}),
                Arguments.of(new String[] {"r5"}, new String[] {"r5"}), // Dom0 may give the node away
                Arguments.of(new String[] {"b7", "w3", "r2", "n1"}, new String[] {"b7", "w3", "r2", "n1"}),
                Arguments.of(new String[] {"n0", "r5", "r5"}, new String[] {"n0", "r5", "r5"}), // duplicates kept
                Arguments.of(new String[] {"n5", "n5", "n5", "n5", "n5", "n5"},
                        new String[] {"n5", "n5", "n5", "n5", "n5", "n5"}),
                Arguments.of(new String[] {"n0", "r05"}, new String[] {"n0", "r5"}), // domid normalised
                Arguments.of(new String[] {"n0", "r32751"}, new String[] {"n0", "r32751"}));
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void setPermsThenGetPermsRoundTrips(String[] set, String[] expected) {
        node();
        expectOk(c.setPerms(base, set), SET_PERMS);
        expectReply(c.getPerms(base), GET_PERMS, nul(expected));
    }

    @Test
    void manyPermissionEntriesRoundTrip() {
        node();
        List<String> perms = new ArrayList<>();
        perms.add("n0");
        for (int i = 1; i < 600; i++) {
            perms.add("r" + i);
        }
        String[] all = perms.toArray(new String[0]);
        expectOk(c.setPerms(base, all), SET_PERMS);
        expectReply(c.getPerms(base), GET_PERMS, nul(all));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("unknown mode x", nul("x5")),
                Arguments.of("upper-case mode", nul("R5")),
                Arguments.of("mode without domid", nul("r")),
                Arguments.of("non-numeric domid", nul("rabc")),
                Arguments.of("trailing garbage after domid", nul("r5x")),
                Arguments.of("empty entry", nul("n0", "")),
                Arguments.of("bad second entry", nul("n0", "x5")),
                Arguments.of("second entry without domid", nul("n0", "r")),
                Arguments.of("no entry at all", new byte[0]),
                Arguments.of("only an empty string", nul("")),
                Arguments.of("unterminated single entry", latin1("n0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPermissionsAreEinvalAndChangeNothing(String what, byte[] perms) {
        node();
        expectOk(c.setPerms(base, "n0", "r1"), SET_PERMS);
        expectError(c.request(SET_PERMS, cat(nul(base), perms)), "EINVAL");
        expectReply(c.getPerms(base), GET_PERMS, nul("n0", "r1"));
    }

    @Test
    void pathOnlyWithoutTerminatorIsEinval() {
        node();
        expectError(c.request(SET_PERMS, latin1(base)), "EINVAL");
        expectError(c.request(SET_PERMS, new byte[0]), "EINVAL");
    }

    /**
     * C parses the entries with strtol (base 0, leading blanks and sign allowed) and ignores an unterminated tail
     * after the last NUL: these are accepted by C xenstored 4.17.
     */
    static Stream<Arguments> lenient() {
        return Stream.of(
                Arguments.of(nul("n0", "r 5"), nul("n0", "r5")),
                Arguments.of(nul("n0", "r+5"), nul("n0", "r5")),
                Arguments.of(nul("n0", "r010"), nul("n0", "r8")),
                Arguments.of(nul("n0", "r0x5"), nul("n0", "r5")),
                Arguments.of(cat(nul("n0"), latin1("r5")), nul("n0")),
                Arguments.of(cat(nul("n0", "r5"), latin1("junk")), nul("n0", "r5")));
    }

    @ParameterizedTest
    @MethodSource("lenient")
    void permissionParsingIsAsLenientAsC(byte[] perms, byte[] expected) {
        node();
        expectOk(c.request(SET_PERMS, cat(nul(base), perms)), SET_PERMS);
        expectReply(c.getPerms(base), GET_PERMS, expected);
    }

    /**
     * Xen 4.22 (and 4.17) check only the owner's domain: later entries may name anything, and keep what C stores
     * (strtol into an unsigned int, printed with %i). Such entries grant nothing (C marks them ignored).
     */
    @Test
    void entriesNamingNoDomainAreKeptInNonOwnerPositions() {
        node();
        expectOk(c.setPerms(base, "n0", "r32752", "r32767", "w65535", "b65536", "r99999", "r-1"), SET_PERMS);
        expectReply(c.getPerms(base), GET_PERMS, nul("n0", "r32752", "r32767", "w65535", "b65536", "r99999", "r-1"));
        expectOk(c.setPerms(base, "n0", "r4294967295", "r4294967296", "r0xFFFF", "r-16"), SET_PERMS);
        expectReply(c.getPerms(base), GET_PERMS, nul("n0", "r-1", "r0", "r65535", "r-16"));
    }

    @Test
    void anOwnerThatIsNoDomainIsEnoent() {
        node();
        for (String owner : new String[] {"n32752", "n32767", "n65535", "n65536", "n99999", "n-1", "n4294967295"}) {
            expectError(c.setPerms(base, owner), "ENOENT");
            expectError(c.setPerms(base, owner, "r1"), "ENOENT");
        }
        expectError(c.setPerms(base, "n-1", "x1"), "EINVAL"); // all entries are parsed first
        expectReply(c.getPerms(base), GET_PERMS, nul("n0"));
    }

    /**
     * DOMID_ANY (32757) from Dom0's socket: C 4.22.0 crashes (it dereferences the socket's missing domain);
     * jxenstored gives it 4.22's meaning (every domain, with the entry's access), as from a guest.
     */
    @Test
    void domidAnyFromTheSocket() {
        node();
        expectOk(c.setPerms(base, "n0", "r32757"), SET_PERMS);
        expectReply(c.getPerms(base), GET_PERMS, nul("n0", "r32757"));
        expectOk(c.setPerms(base, "n0", "b32757", "n5"), SET_PERMS);
        expectReply(c.getPerms(base), GET_PERMS, nul("n0", "b32757", "n5"));
        expectOk(c.setPerms(base, "n32757"), SET_PERMS); // privileged: any owner that exists, DOMID_ANY too
        expectReply(c.getPerms(base), GET_PERMS, nul("n32757"));
        XsTestClient.expectReply(c.control("check"), XsTestClient.CONTROL, nul("OK"));
    }

    @Test
    void setPermsOnMissingNodes() {
        node();
        expectError(c.setPerms(base + "/missing", "n0"), "ENOENT");
        expectError(c.setPerms(base + "/nope/missing", "n0"), "ENOENT");
        // the permissions are parsed before the node is looked up
        expectError(c.setPerms(base + "/missing", "x0"), "EINVAL");
        expectError(c.getPerms(base + "/missing"), "ENOENT");
    }

    @Test
    void newNodesInheritTheParentsPermissions() {
        node();
        expectOk(c.setPerms(base, "r3", "w4"), SET_PERMS);
        expectOk(c.write(base + "/c", "y"), WRITE);
        expectReply(c.getPerms(base + "/c"), GET_PERMS, nul("r3", "w4"));
        expectOk(c.mkdir(base + "/d/e"), MKDIR);
        expectReply(c.getPerms(base + "/d"), GET_PERMS, nul("r3", "w4"));
        expectReply(c.getPerms(base + "/d/e"), GET_PERMS, nul("r3", "w4"));
        // existing children keep theirs when the parent's change
        expectOk(c.setPerms(base, "b3", "n4", "r5"), SET_PERMS);
        expectReply(c.getPerms(base + "/c"), GET_PERMS, nul("r3", "w4"));
    }

    @Test
    void writeAndMkdirKeepPermissionsOfExistingNodes() {
        node();
        expectOk(c.setPerms(base, "n5", "b6"), SET_PERMS);
        expectOk(c.write(base, "newval"), WRITE);
        expectReply(c.getPerms(base), GET_PERMS, nul("n5", "b6"));
        expectOk(c.mkdir(base), MKDIR);
        expectReply(c.getPerms(base), GET_PERMS, nul("n5", "b6"));
    }

    @Test
    void relativePaths() {
        String rel = base.substring(1);
        expectOk(c.write(rel, "v"), WRITE);
        expectOk(c.setPerms(rel, "n0", "r7"), SET_PERMS);
        expectReply(c.getPerms("/local/domain/0/" + rel), GET_PERMS, nul("n0", "r7"));
        expectReply(c.getPerms(rel), GET_PERMS, nul("n0", "r7"));
    }

    /**
     * The special nodes carry permissions (docs/misc/xenstore.txt: "It is possible to set permissions for the
     * special watch paths @introduceDomain and @releaseDomain"). Xen 4.22: GET_PERMS answers them
     * ({@code @introduceDomain}: {@code n0}; {@code @releaseDomain}: readable by every domain, {@code n0 r32757});
     * any other {@code @} path names a missing node: ENOENT (4.17: EINVAL).
     */
    @Test
    void permissionsOfTheSpecialNodes() {
        assumeOwnDaemon();
        expectReply(c.getPerms("@introduceDomain"), GET_PERMS, nul("n0"));
        expectReply(c.getPerms("@releaseDomain"), GET_PERMS, nul("n0", "r32757"));
        expectOk(c.setPerms("@introduceDomain", "n0", "r5"), SET_PERMS);
        expectReply(c.getPerms("@introduceDomain"), GET_PERMS, nul("n0", "r5"));
        expectOk(c.setPerms("@releaseDomain", "n0", "r5"), SET_PERMS);
        expectReply(c.getPerms("@releaseDomain"), GET_PERMS, nul("n0", "r5"));
        expectOk(c.setPerms("@releaseDomain", "n0", "r32757"), SET_PERMS);
        expectOk(c.setPerms("@introduceDomain", "n0"), SET_PERMS);
        expectReply(c.getPerms("@introduceDomain"), GET_PERMS, nul("n0"));
        for (String other : new String[] {"@foo", "@releaseDomain/5", "@introduceDomain/5", "@"}) {
            expectError(c.setPerms(other, "n0", "r5"), "ENOENT");
            expectError(c.getPerms(other), "ENOENT");
        }
        expectError(c.setPerms("@a//b", "n0"), "EINVAL");
        expectError(c.getPerms("@a/"), "EINVAL");
        expectError(c.setPerms("@introduceDomain", "n40000"), "ENOENT");
    }
}
