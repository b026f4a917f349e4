package org.jxenstored.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jxenstored.protocol.XsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathsTest {
    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b-c_d@e", "/local/domain/0", "/A/Z/0/9"})
    void validPaths(String p) {
        assertThat(Paths.canonical(0, p)).isEqualTo(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a/", "//", "/a//b", "/a b", "/a.b", "/a~", "/a:b", "/local/domain/", "/\u00e9"})
    void invalidPaths(String p) {
        assertThatThrownBy(() -> Paths.canonical(0, p)).isInstanceOf(XsException.class);
    }

    @Test
    void relativePathsResolveUnderTheCallersHome() {
        assertThat(Paths.canonical(0, "foo")).isEqualTo("/local/domain/0/foo");
        assertThat(Paths.canonical(7, "device/vif")).isEqualTo("/local/domain/7/device/vif");
    }

    @Test
    void withoutAPathMaxQuotaAnyLengthIsWellFormed() {
        // C 4.22: the length is the path-max quota of the caller's domain; Dom0's socket has none
        assertThat(Paths.isValid("/" + "a".repeat(Paths.ABS_PATH_MAX))).isTrue();
        assertThat(Paths.canonical(0, "r".repeat(4000))).hasSize(16 + 4000);
        assertThat(Paths.canonical(0, "/" + "r".repeat(4000), Paths.UNLIMITED)).hasSize(4001);
    }

    @Test
    void pathMaxBindsThePartAfterADomainsHomeWhichMustBeShorter() {
        // C 4.22: strlen(name) - local_off >= path-max is EINVAL, local_off from "/local/domain/%5u/"
        int max = Paths.REL_PATH_MAX;
        assertThat(Paths.canonical(5, "r".repeat(max - 1), max)).hasSize(16 + max - 1);
        assertThatThrownBy(() -> Paths.canonical(5, "r".repeat(max), max)).isInstanceOf(XsException.class);
        assertThat(Paths.canonical(5, "/local/domain/12345/" + "b".repeat(max - 1), max)).isNotNull();
        assertThatThrownBy(() -> Paths.canonical(5, "/local/domain/12345/" + "b".repeat(max), max))
                .isInstanceOf(XsException.class);
        assertThat(Paths.canonical(5, "/" + "a".repeat(max - 2), max)).as("elsewhere the whole path counts")
                .hasSize(max - 1);
        assertThatThrownBy(() -> Paths.canonical(5, "/" + "a".repeat(max - 1), max))
                .isInstanceOf(XsException.class);
        assertThatThrownBy(() -> Paths.canonical(5, "/local/domain/123456/" + "c".repeat(max - 21), max))
                .as("six digits are no home prefix (%5u)").isInstanceOf(XsException.class);
        assertThat(Paths.relativeLength("/local/domain/-1/abc")).as("%5u takes a sign").isEqualTo(3);
        assertThat(Paths.relativeLength("/local/domain/12345/abc")).isEqualTo(3);
        assertThat(Paths.relativeLength("/local/domain/123456/abc")).isEqualTo(24);
        assertThat(Paths.relativeLength("/local/domain/x/abc")).isEqualTo(19);
    }

    @Test
    void specialPathsKeepTheirFormAndCountWholly() {
        assertThat(Paths.canonicalSpecial(5, "@releaseDomain/5", 20)).isEqualTo("@releaseDomain/5");
        assertThat(Paths.canonicalSpecial(5, "rel", 20)).isEqualTo("/local/domain/5/rel");
        assertThatThrownBy(() -> Paths.canonicalSpecial(5, "@" + "x".repeat(19), 20))
                .isInstanceOf(XsException.class);
        assertThat(Paths.canonicalSpecial(5, "@" + "x".repeat(18), 20)).hasSize(19);
        for (String bad : new String[] {"@a//b", "@a/", "@a b"}) {
            assertThatThrownBy(() -> Paths.canonicalSpecial(0, bad, Paths.UNLIMITED)).as(bad)
                    .isInstanceOf(XsException.class);
        }
        assertThatThrownBy(() -> Paths.canonical(0, "@introduceDomain")).isInstanceOf(XsException.class);
    }

    @Test
    void segmentsAndParents() {
        assertThat(Paths.segments("/")).isEmpty();
        assertThat(Paths.segments("/a/b")).containsExactly("a", "b");
        assertThat(Paths.parent("/a")).isEqualTo("/");
        assertThat(Paths.parent("/a/b")).isEqualTo("/a");
    }
}
