package org.jxenstored.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.jxenstored.protocol.XsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermsTest {
    @Test
    void parsesAndPrintsTheWireForm() {
        Perms p = Perms.parse(new String[] {"n0", "r5", "w7", "b12"});
        assertThat(new String(p.wire(), StandardCharsets.US_ASCII)).isEqualTo("n0\0r5\0w7\0b12\0");
        assertThat(p.owner()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "r", "x5", "rabc", "r5x", "R5", "5r"})
    void malformedEntriesAreRejected(String entry) {
        assertThatThrownBy(() -> Perms.parse(new String[] {entry})).isInstanceOf(XsException.class);
    }

    @Test
    void domidsAreReadAsCsStrtolReadsThemAndPrintedAsItsPercentI() {
        assertThat(Perms.parse(new String[] {"r 5", "r+6", "r07", "r0x10"}).toString()).isEqualTo("r5 r6 r7 r16");
        assertThat(Perms.parse(new String[] {"r4294967296"}).toString()).as("wraps like unsigned int")
                .isEqualTo("r0");
        // C: strtol into an unsigned int, printed with %i
        Perms odd = Perms.parse(new String[] {"n0", "r-1", "w65536", "b99999", "r4294967295", "r32767",
            "r99999999999999999999", "r-99999999999999999999", "r-16"});
        assertThat(new String(odd.wire(), StandardCharsets.US_ASCII))
                .isEqualTo("n0\0r-1\0w65536\0b99999\0r-1\0r32767\0r-1\0r0\0r-16\0");
        assertThat(odd.domid(1)).isEqualTo(0xFFFFFFFF);
    }

    @Test
    void ignoredEntriesAreKeptAndShownButGrantNothing() {
        Perms p = Perms.parse(new String[] {"n3", "r4", "b5"});
        Perms ignoring = p.ignoring(d -> d == 5);
        assertThat(ignoring.wire()).isEqualTo(p.wire());
        assertThat(ignoring.ignored(2)).isTrue();
        assertThat(ignoring.ignored(1)).isFalse();
        assertThat(ignoring.mode(2)).isEqualTo(Perms.BOTH);
        assertThat(ignoring).isNotEqualTo(p);
        assertThat(p.ignoring(d -> false)).isSameAs(p);
        assertThat(Access.modeFor(new TestCaller(5, false), p)).isEqualTo(Perms.BOTH);
        assertThat(Access.modeFor(new TestCaller(5, false), ignoring)).as("falls back to the default")
                .isEqualTo(Perms.NONE);
        assertThat(ignoring.modeFor(5)).isEqualTo(Perms.NONE);
        assertThat(ignoring.modeFor(4)).isEqualTo(Perms.READ);
        assertThat(ignoring.withOwner(4).ignored(2)).as("kept through an owner change").isTrue();
    }

    @Test
    void accessFollowsOwnerAclAndDefault() {
        Perms p = Perms.parse(new String[] {"r3", "w4", "n5"});
        Caller owner = new TestCaller(3, false);
        Caller four = new TestCaller(4, false);
        Caller five = new TestCaller(5, false);
        Caller other = new TestCaller(9, false);
        Caller dom0 = new TestCaller(0, true);
        Caller deviceModel = new TestCaller(8, false, 3);
        assertThat(Access.modeFor(owner, p)).isEqualTo(Perms.BOTH);
        assertThat(Access.modeFor(four, p)).isEqualTo(Perms.WRITE);
        assertThat(Access.modeFor(five, p)).isEqualTo(Perms.NONE);
        assertThat(Access.modeFor(other, p)).isEqualTo(Perms.READ);
        assertThat(Access.modeFor(dom0, p)).isEqualTo(Perms.BOTH);
        assertThat(Access.modeFor(deviceModel, p)).as("SET_TARGET: owner rights on the target's nodes")
                .isEqualTo(Perms.BOTH);
    }
}
