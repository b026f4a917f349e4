package org.jxenstored.wire;

import static org.jxenstored.wire.XsTestClient.GET_DOMAIN_PATH;
import static org.jxenstored.wire.XsTestClient.IS_DOMAIN_INTRODUCED;
import static org.jxenstored.wire.XsTestClient.expectError;
import static org.jxenstored.wire.XsTestClient.expectReply;
import static org.jxenstored.wire.XsTestClient.latin1;
import static org.jxenstored.wire.XsTestClient.nul;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GET_DOMAIN_PATH and IS_DOMAIN_INTRODUCED (no hypervisor: only Dom0 is introduced). */
class DomainOpsTest extends WireTestBase {

    static Stream<Arguments> domainPaths() {
        return Stream.of(Arguments.of("0", "/local/domain/0"), Arguments.of("5", "/local/domain/5"),
                Arguments.of("65535", "/local/domain/65535"), Arguments.of("32752", "/local/domain/32752"),
                Arguments.of("007", "/local/domain/7"));
    }

    @ParameterizedTest
    @MethodSource("domainPaths")
    void getDomainPath(String domid, String expected) {
        expectReply(c.request(GET_DOMAIN_PATH, nul(domid)), GET_DOMAIN_PATH, nul(expected));
    }

    /**
     * "Parsing errors and values out of range generally go undetected" (docs/misc/xenstore.txt): C reads the domid
     * with atoi().
     */
    static Stream<Arguments> laxDomainPaths() {
        return Stream.of(Arguments.of("abc", "/local/domain/0"), Arguments.of("", "/local/domain/0"),
                Arguments.of("7x", "/local/domain/7"), Arguments.of(" 7", "/local/domain/7"),
                Arguments.of("65536", "/local/domain/65536"));
    }

    @ParameterizedTest
    @MethodSource("laxDomainPaths")
    void getDomainPathParsesTheDomidLikeC(String domid, String expected) {
        expectReply(c.request(GET_DOMAIN_PATH, nul(domid)), GET_DOMAIN_PATH, nul(expected));
    }

    @Test
    void getDomainPathMalformedPayloads() {
        expectError(c.request(GET_DOMAIN_PATH, new byte[0]), "EINVAL");
        expectError(c.request(GET_DOMAIN_PATH, latin1("0")), "EINVAL");
        expectError(c.request(GET_DOMAIN_PATH, nul("0", "extra")), "EINVAL");
    }

    @Test
    void isDomainIntroduced() {
        expectReply(c.request(IS_DOMAIN_INTRODUCED, nul("0")), IS_DOMAIN_INTRODUCED, nul("T"));
        expectReply(c.request(IS_DOMAIN_INTRODUCED, nul("5")), IS_DOMAIN_INTRODUCED, nul("F"));
        expectReply(c.request(IS_DOMAIN_INTRODUCED, nul("65535")), IS_DOMAIN_INTRODUCED, nul("F"));
    }

    @Test
    void isDomainIntroducedMalformedPayloads() {
        expectError(c.request(IS_DOMAIN_INTRODUCED, new byte[0]), "EINVAL");
        expectError(c.request(IS_DOMAIN_INTRODUCED, latin1("0")), "EINVAL");
        expectError(c.request(IS_DOMAIN_INTRODUCED, nul("1", "extra")), "EINVAL");
    }
}
