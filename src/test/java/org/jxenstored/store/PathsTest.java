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
    void lengthIsCheckedOnTheCanonicalPath() {
        // As C xenstored (checked against 4.17): the length below a domain's home, or the whole length elsewhere,
        // is at most 2048; the 3072 absolute limit can then never bind.
        assertThat(Paths.isValid("/" + "a".repeat(Paths.REL_PATH_MAX - 1))).isTrue();
        assertThat(Paths.isValid("/" + "a".repeat(Paths.REL_PATH_MAX))).isFalse();
        assertThat(Paths.isValid("/" + "a".repeat(Paths.ABS_PATH_MAX - 1))).isFalse();
        String home = "/local/domain/5/";
        String okRel = home + "b".repeat(Paths.REL_PATH_MAX);
        assertThat(Paths.isValid(okRel)).isTrue();
        assertThat(Paths.isValid(okRel + "b")).isFalse();
        assertThat(Paths.canonical(0, "r".repeat(Paths.REL_PATH_MAX))).hasSize(16 + Paths.REL_PATH_MAX);
        assertThatThrownBy(() -> Paths.canonical(0, "r".repeat(Paths.REL_PATH_MAX + 1)))
                .isInstanceOf(XsException.class);
    }

    @Test
    void segmentsAndParents() {
        assertThat(Paths.segments("/")).isEmpty();
        assertThat(Paths.segments("/a/b")).containsExactly("a", "b");
        assertThat(Paths.parent("/a")).isEqualTo("/");
        assertThat(Paths.parent("/a/b")).isEqualTo("/a");
    }
}
