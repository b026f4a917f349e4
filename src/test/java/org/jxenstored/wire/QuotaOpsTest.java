package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.CONTROL;
import static org.jxenstored.wire.XsTestClient.GET_FEATURE;
import static org.jxenstored.wire.XsTestClient.GET_QUOTA;
import static org.jxenstored.wire.XsTestClient.INTRODUCE;
import static org.jxenstored.wire.XsTestClient.RELEASE;
import static org.jxenstored.wire.XsTestClient.SET_FEATURE;
import static org.jxenstored.wire.XsTestClient.SET_QUOTA;
import static org.jxenstored.wire.XsTestClient.expectError;
import static org.jxenstored.wire.XsTestClient.expectOk;
import static org.jxenstored.wire.XsTestClient.expectReply;
import static org.jxenstored.wire.XsTestClient.nul;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GET_QUOTA, SET_QUOTA, GET_FEATURE, SET_FEATURE and CONTROL quota/log as Dom0 over the socket, with the answers of
 * C xenstored 4.22.0 (the c-next probes, PROBES.md, and its source). This daemon has no hypervisor: every domid
 * below 32752 is a domain that exists. Tests use distinct domids, as a domain met stays known.
 */
class QuotaOpsTest extends WireTestBase {
    private static final String NAMES = "nodes watches outstanding memory soft-memory transactions "
            + "transaction-nodes node-permissions path-max node-size";

    private XsTestClient.Msg getQuota(String... args) {
        return c.request(GET_QUOTA, nul(args));
    }

    private XsTestClient.Msg setQuota(String... args) {
        return c.request(SET_QUOTA, nul(args));
    }

    @Test
    void getQuotaWithoutArgumentsListsTheNamesInCsOrder() {
        // what libxl's "xl xenstore-quota-get" asks first
        expectReply(c.request(GET_QUOTA, new byte[0]), GET_QUOTA, nul(NAMES));
    }

    @Test
    void defaultsAndNames() {
        assumeOwnDaemon();
        expectReply(getQuota("nodes"), GET_QUOTA, nul("1000"));
        expectReply(getQuota("watches"), GET_QUOTA, nul("128"));
        expectReply(getQuota("outstanding"), GET_QUOTA, nul("20"));
        expectReply(getQuota("memory"), GET_QUOTA, nul("2621440"));
        expectReply(getQuota("soft-memory"), GET_QUOTA, nul("2097152"));
        expectReply(getQuota("transactions"), GET_QUOTA, nul("10"));
        expectReply(getQuota("transaction-nodes"), GET_QUOTA, nul("1024"));
        expectReply(getQuota("node-permissions"), GET_QUOTA, nul("5"));
        expectReply(getQuota("path-max"), GET_QUOTA, nul("2048"));
        expectReply(getQuota("node-size"), GET_QUOTA, nul("2048"));
        expectReply(getQuota("permissions"), GET_QUOTA, nul("5")); // docs/misc/xenstore.txt's name
        expectReply(getQuota("0", "node-permissions"), GET_QUOTA, nul("5"));
        expectError(getQuota("soft-nodes"), "EINVAL"); // no soft value
        expectError(getQuota("soft-node-permissions"), "EINVAL");
        expectError(getQuota("bogus"), "EINVAL");
        expectError(getQuota(""), "EINVAL");
        expectError(getQuota("0", "nodes", "x"), "EINVAL");
    }

    @Test
    void setQuotaTakesZeroForNoLimitAndReadsValuesWithAtoi() {
        assumeOwnDaemon();
        expectOk(setQuota("node-permissions", "7"), SET_QUOTA);
        expectReply(getQuota("node-permissions"), GET_QUOTA, nul("7"));
        expectOk(setQuota("permissions", "5"), SET_QUOTA);
        expectReply(getQuota("node-permissions"), GET_QUOTA, nul("5"));
        expectOk(setQuota("transaction-nodes", "0"), SET_QUOTA);
        expectReply(getQuota("transaction-nodes"), GET_QUOTA, nul("0"));
        expectOk(setQuota("transaction-nodes", "abc"), SET_QUOTA); // atoi: 0
        expectReply(getQuota("transaction-nodes"), GET_QUOTA, nul("0"));
        expectOk(setQuota("transaction-nodes", "12x"), SET_QUOTA);
        expectReply(getQuota("transaction-nodes"), GET_QUOTA, nul("12"));
        expectError(setQuota("transaction-nodes", "-1"), "EINVAL"); // UINT_MAX, C's "disabled"
        expectError(setQuota("soft-nodes", "5"), "EINVAL");
        expectError(setQuota("bogus", "5"), "EINVAL");
        expectError(setQuota("nodes"), "EINVAL");
        expectError(setQuota("5", "nodes", "1", "2"), "EINVAL");
        expectOk(setQuota("transaction-nodes", "1024"), SET_QUOTA);
    }

    /** C 4.22's parse_domid: strtoul over the whole string, at most 65535 (EINVAL); then the domain must exist. */
    static Stream<Arguments> domids() {
        return Stream.of(
                Arguments.of("70000", "EINVAL"), // > 65535
                Arguments.of("65536", "EINVAL"),
                Arguments.of("abc", "EINVAL"),
                Arguments.of("5x", "EINVAL"),
                Arguments.of("0x5", "EINVAL"), // base 10
                Arguments.of("-1", "EINVAL"), // ULONG_MAX
                Arguments.of(" ", "EINVAL"),
                Arguments.of("65535", "ENOENT"), // no such domain: reserved ids
                Arguments.of("40000", "ENOENT"),
                Arguments.of("32752", "ENOENT"),
                Arguments.of("32757", "ENOENT"), // DOMID_ANY is no domain
                Arguments.of("32751", null), // the last possible domain
                Arguments.of(" 41", null), // strtoul skips blanks and takes a sign
                Arguments.of("+42", null),
                Arguments.of("", null)); // strtoul reads nothing: Dom0
    }

    @ParameterizedTest(name = "domid \"{0}\"")
    @MethodSource("domids")
    void domidsOfTheQuotaAndFeatureRequestsAreParsedAsC(String domid, String error) {
        XsTestClient.Msg[] replies = {
            c.request(GET_QUOTA, nul(domid, "nodes")),
            c.request(SET_QUOTA, nul(domid, "nodes", "1000")),
            c.request(GET_FEATURE, nul(domid))
        };
        for (XsTestClient.Msg r : replies) {
            if (error == null) {
                assertThat(r.isError()).as("%s", r).isFalse();
            } else {
                expectError(r, error);
            }
        }
        XsTestClient.Msg set = c.request(SET_FEATURE, nul(domid, "14"));
        if (error != null) {
            expectError(set, error);
        } else if (!domid.isEmpty()) {
            expectOk(set, SET_FEATURE);
        } else {
            expectError(set, "EBUSY"); // Dom0 is introduced
        }
    }

    @Test
    void getFeatureArgumentCounts() {
        expectError(c.request(GET_FEATURE, nul("0", "1")), "EINVAL");
        expectError(c.request(SET_FEATURE, nul("43")), "EINVAL");
        expectError(c.request(SET_FEATURE, nul("43", "0", "1")), "EINVAL");
        expectOk(c.request(SET_FEATURE, nul("43", "x")), SET_FEATURE); // atoi: 0
        expectReply(c.request(GET_FEATURE, nul("43")), GET_FEATURE, nul("0"));
        expectError(c.request(SET_FEATURE, nul("43", "16")), "EINVAL"); // unknown bit
        expectError(c.request(SET_FEATURE, nul("43", "-1")), "EINVAL");
        expectError(c.request(SET_FEATURE, nul("40000", "16")), "ENOENT"); // C checks the domain first
    }

    /**
     * C 4.22 copies the global values into a domain's structure when it first meets the domain: a later global
     * change reaches only domains met afterwards; a domain's own value overrides; RELEASE frees the structure.
     */
    @Test
    void aGlobalChangeReachesOnlyDomainsMetLater() {
        assumeOwnDaemon();
        expectReply(getQuota("44", "nodes"), GET_QUOTA, nul("1000")); // domain 44 met now
        expectOk(setQuota("nodes", "0"), SET_QUOTA);
        expectReply(getQuota("nodes"), GET_QUOTA, nul("0"));
        expectReply(getQuota("44", "nodes"), GET_QUOTA, nul("1000"));
        expectReply(getQuota("45", "nodes"), GET_QUOTA, nul("0"));
        expectOk(c.control("quota", "set", "nodes", "1500"), CONTROL);
        expectReply(getQuota("44", "nodes"), GET_QUOTA, nul("1000"));
        expectReply(getQuota("45", "nodes"), GET_QUOTA, nul("0"));
        expectOk(c.request(INTRODUCE, nul("46", "0", "1")), INTRODUCE);
        expectReply(getQuota("46", "nodes"), GET_QUOTA, nul("1500"));
        expectOk(setQuota("46", "nodes", "10"), SET_QUOTA);
        expectOk(setQuota("nodes", "1000"), SET_QUOTA);
        expectReply(getQuota("46", "nodes"), GET_QUOTA, nul("10"));
        expectReply(getQuota("46", "soft-memory"), GET_QUOTA, nul("2097152"));
        expectOk(c.request(RELEASE, nul("46")), RELEASE);
        expectReply(getQuota("46", "nodes"), GET_QUOTA, nul("1000")); // a new structure, today's values
    }

    @Test
    void controlQuotaSetRefusesZero() {
        assumeOwnDaemon();
        expectError(c.control("quota", "set", "nodes", "0"), "EINVAL"); // SET_QUOTA takes 0, CONTROL does not
        expectError(c.control("quota", "set", "nodes", "abc"), "EINVAL");
        expectReply(getQuota("nodes"), GET_QUOTA, nul("1000"));
        expectOk(c.control("quota", "set", "node-permissions", "5"), CONTROL);
        expectOk(c.control("quota", "set", "permissions", "5"), CONTROL);
        expectError(c.control("quota-soft", "set", "memory", "0"), "EINVAL");
    }

    @Test
    void controlQuotaListsInCsOrderWithCsNames() {
        assumeOwnDaemon();
        String table = c.control("quota").text();
        assertThat(table).startsWith("Quota settings:\n"
                + "nodes            :     1000 Nodes per domain\n"
                + "watches          :      128 Watches per domain\n"
                + "outstanding      :       20 Outstanding requests per domain\n"
                + "memory           :  2621440 Total Xenstore memory per domain\n")
                .contains("node-permissions :        5 Max. number of permissions per node\n")
                .endsWith("node-size        :     2048 Max. size of a node\n\0");
        assertThat(c.control("quota-soft").text())
                .isEqualTo("Quota settings:\nmemory           :  2097152 Total Xenstore memory per domain\n\0");
    }

    /** C 4.22: {@code quota <domid>} works for a domain known but not introduced: all nine items, value (max). */
    @Test
    void controlQuotaOfAKnownDomainThatIsNotIntroduced() {
        expectError(c.control("quota", "47"), "ENOENT");
        expectOk(setQuota("47", "nodes", "10"), SET_QUOTA);
        expectReply(c.control("quota", "47"), CONTROL, nul("Domain 47:\n"
                + "nodes            :        0 (max        0)\n"
                + "watches          :        0 (max        0)\n"
                + "outstanding      :        0 (max        0)\n"
                + "memory           :        0 (max        0)\n"
                + "transactions     :        0 (max        0)\n"
                + "transaction-nodes:        0 (max        0)\n"
                + "node-permissions :        0 (max        0)\n"
                + "path-max         :        0 (max        0)\n"
                + "node-size        :        0 (max        0)\n"));
        expectError(c.control("quota", "40000"), "ENOENT");
    }

    @Test
    void controlQuotaOfDom0CountsItsSocketsWatchesAndTransactions() {
        assumeOwnDaemon();
        XsTestClient other = client();
        expectOk(other.watch("/quota-w", "t"), XsTestClient.WATCH);
        int tx = other.startTransaction();
        String dom0 = c.control("quota", "0").text();
        assertThat(dom0).startsWith("Domain 0:\n").contains("watches          :        1 (max        1)\n")
                .contains("transactions     :        1 (max        1)\n")
                .containsPattern("(?m)^nodes            : +[1-9][0-9]* \\(max +[1-9][0-9]*\\)$");
        expectOk(other.endTransaction(tx, false), XsTestClient.TRANSACTION_END);
        assertThat(c.control("quota", "0").text()).contains("transactions     :        0 (max        1)\n");
    }

    @Test
    void controlQuotaMax() {
        assumeOwnDaemon();
        String max = c.control("quota", "max").text();
        assertThat(max).startsWith("Max. seen accounting values:\nnodes            : ")
                .contains("\nnode-size        : ");
        assertThat(max.split("\n")).hasSize(11); // title, nine items, the NUL
        assertThat(c.control("quota", "max", "-r").text()).startsWith("Max. seen accounting values:\n");
        expectError(c.control("quota", "max", "x"), "EINVAL");
        expectError(c.control("quota", "max", "-r", "x"), "EINVAL");
    }

    @Test
    void controlLogWithoutArgumentListsTheSwitches() {
        String text = c.control("log").text();
        assertThat(text).startsWith("Log switch settings:\n").containsPattern("(?m)^read    : (on|off)$")
                .containsPattern("(?m)^trans   : (on|off)$").containsPattern("(?m)^special : (on|off)$");
        expectError(c.control("log", "+bogus"), "EINVAL");
    }

    /**
     * The socket's own features: C 4.22 answers 14 (error indicator, watch depth, DOMID_ANY); jxenstored also
     * implements the reconnection protocol (bit 1, docs/protocol.md).
     */
    @Test
    void ownFeaturesOfTheSocket() {
        expectReply(c.request(GET_FEATURE, new byte[0]), GET_FEATURE, nul("15"));
    }
}
