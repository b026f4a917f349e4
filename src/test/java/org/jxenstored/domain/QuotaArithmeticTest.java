package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.jxenstored.protocol.XsType;
import org.jxenstored.testing.SimHost;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;

/**
 * The quotas of an unprivileged guest at their default values, counted as C xenstored 4.22 counts them, with its
 * error names; where 4.22 stops one short of its own documented maximum ({@code val >= quota} against "Max. size of
 * a node", "Watches per domain", ...), the documented maximum holds (docs/protocol.md lists these).
 *
 * <p>The way of counting was checked on Debian's C xenstored 4.17 (same formula, a 24-byte header, {@code >=}) with
 * a guest dom9 over its ring, at the defaults: children n0..n424 of the home, the 426th refused (ENOSPC); a value of
 * 2015 bytes accepted, 2016 refused; {@code a/} + 2015 characters refused (the new {@code a} holds the name); 129
 * watches, then E2BIG; 11 transactions, then ENOSPC; 5 permission entries accepted, 6 (even malformed) ENOSPC; a
 * 2047- and a 2048-character relative path ENOSPC (the home's record).
 */
class QuotaArithmeticTest extends GuestTestSupport {
    @Override
    SimHost startSimHost() {
        return SimHost.start(l -> l.writeRatePerSecond = 0, new DomainOptions()); // many writes, no waiting
    }

    /**
     * A node's size is its record in C's store: a 16-byte header, 8 bytes per permission entry, the value and the
     * child names, each with its NUL. The guest's home (one entry, no value) takes children until its record would
     * pass 2048 bytes: names n0..n9 take 3 bytes, n10..n99 4, then 5; 24 + 390 + 5 * 326 = 2044, one more is 2049.
     * So the 427th child is refused (C 4.22 too: its 2049 >= 2048; C 4.17, with a 24-byte header, refused the
     * 426th; jxenstored before this count, the 432nd).
     */
    @Test
    void theParentsRecordBoundsHowManyChildrenAGuestCreates() throws Exception {
        SimGuest g = bootGuest(5);
        int created = 0;
        String answer;
        while ((answer = write(g, "n" + created, "")).equals("OK")) {
            created++;
        }
        assertThat(answer).isEqualTo("ERROR ENOSPC");
        assertThat(created).isEqualTo(426);
        assertThat(ask(g, XsType.MKDIR, "n426")).as("MKDIR too").isEqualTo("ERROR ENOSPC");
        assertThat(ask(g, XsType.RM, "n0")).isEqualTo("OK");
        assertThat(write(g, "x0", "")).as("a removed child makes room").isEqualTo("OK");
        assertThat(write(g, "n426", "")).as("x0 took n0's 3 bytes").isEqualTo("ERROR ENOSPC");
        assertThat(write(g, "n0/deeper", "")).as("2044 + 3 bytes: fits").isEqualTo("OK");
        assertThat(write(g, "longer/deeper", "")).isEqualTo("ERROR ENOSPC");
    }

    /** 16 + 8 + 2024 = 2048, the documented maximum (C 4.22 refuses 2048 itself: ">= quota"). */
    @Test
    void aValueCountsWithTheHeaderAndThePermissions() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(write(g, "v", "x".repeat(2024))).isEqualTo("OK");
        assertThat(write(g, "w", "x".repeat(2025))).isEqualTo("ERROR ENOSPC");
        assertThat(write(g, "w", "x".repeat(2030))).as("C refuses it; jxenstored took it before").isEqualTo(
                "ERROR ENOSPC");
        assertThat(write(g, "v", "x".repeat(2025))).as("growing an existing node").isEqualTo("ERROR ENOSPC");
        assertThat(ask(g, XsType.SET_PERMS, "v", "n5", "r0")).as("8 bytes more for a second entry")
                .isEqualTo("ERROR ENOSPC");
        assertThat(write(g, "v", "x".repeat(2016))).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "v", "n5", "r0")).isEqualTo("OK");
        assertThat(write(g, "v", "x".repeat(2017))).isEqualTo("ERROR ENOSPC");
        assertThat(ask(g, XsType.READ, "w")).as("nothing left of refused writes").isEqualTo("ERROR ENOENT");
    }

    /** Each new node is checked, as C writes each: an ancestor created on the way holds its child's name. */
    @Test
    void aNewAncestorCountsItsChildsName() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(write(g, "a/" + "b".repeat(2023), "")).as("a: 16 + 8 + 2024").isEqualTo("OK");
        assertThat(write(g, "c/" + "d".repeat(2024), "")).as("c: 16 + 8 + 2025").isEqualTo("ERROR ENOSPC");
        assertThat(ask(g, XsType.READ, "c")).isEqualTo("ERROR ENOENT");
    }

    /**
     * The guest probes of C 4.22.0 (PROBES.md): a 2047-character relative path passes path-max (it must be shorter
     * than 2048) but its name makes the home's record too big (ENOSPC); 2048 and more: EINVAL.
     */
    @Test
    void longRelativePathsOfAGuest() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(write(g, "x".repeat(2047), "v")).isEqualTo("ERROR ENOSPC");
        assertThat(write(g, "x".repeat(2048), "v")).isEqualTo("ERROR EINVAL");
        assertThat(write(g, "x".repeat(2049), "v")).isEqualTo("ERROR EINVAL");
        assertThat(write(g, "y/" + "x".repeat(2020), "v")).as("a path of 2022 below the home").isEqualTo("OK");
    }

    /**
     * 128 watches and 10 transactions, the documented "Watches per domain" and "Active transactions per domain";
     * past them ENOSPC (C 4.22: ENOSPC, one short of the documented count; 4.17 allowed 129 watches and answered
     * E2BIG past them, and allowed 11 transactions).
     */
    @Test
    void watchesAndTransactionsStopAtTheDocumentedCountWithEnospc() throws Exception {
        SimGuest g = bootGuest(5);
        for (int i = 0; i < 128; i++) {
            assertThat(ask(g, XsType.WATCH, "w" + i, "t")).as("watch %d", i).isEqualTo("OK");
        }
        assertThat(ask(g, XsType.WATCH, "w128", "t")).isEqualTo("ERROR ENOSPC");
        for (int i = 0; i < 10; i++) {
            assertThat(ask(g, XsType.TRANSACTION_START, "")).as("transaction %d", i).matches("[0-9]+");
        }
        assertThat(ask(g, XsType.TRANSACTION_START, "")).isEqualTo("ERROR ENOSPC");
        String quota = dom0.control("quota", "5").text();
        assertThat(quota).contains("watches          :      128 (max      128)\n")
                .contains("transactions     :       10 (max       10)\n");
        assertThat(ask(g, XsType.RESET_WATCHES, "")).isEqualTo("OK");
        assertThat(dom0.control("quota", "5").text()).contains("watches          :        0 (max      128)\n")
                .contains("transactions     :        0 (max       10)\n");
    }

    /**
     * Five permission entries ("Max. number of permissions per node"; C 4.22 stops at four). C counts them before
     * it parses them: six malformed entries are ENOSPC, not EINVAL.
     */
    @Test
    void permissionEntriesAreCountedFirst() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(write(g, "p", "")).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "p", "n5", "r0", "r0", "r0", "r0")).isEqualTo("OK");
        assertThat(ask(g, XsType.SET_PERMS, "p", "n5", "r0", "r0", "r0", "r0", "r0")).isEqualTo("ERROR ENOSPC");
        assertThat(ask(g, XsType.SET_PERMS, "p", "x", "x", "x", "x", "x", "x")).isEqualTo("ERROR ENOSPC");
        assertThat(ask(g, XsType.SET_PERMS, "p", "x", "x", "x", "x", "x")).isEqualTo("ERROR EINVAL");
        assertThat(ask(g, XsType.SET_PERMS, "missing/p", "n5", "r0", "r0", "r0", "r0", "r0"))
                .as("before the node is looked up").isEqualTo("ERROR ENOSPC");
        assertThat(ask(g, XsType.GET_PERMS, "p")).isEqualTo("n5\0r0\0r0\0r0\0r0\0");
    }

    /**
     * Transaction-nodes: the distinct nodes a transaction accesses, as C counts them (a created node's parent
     * included: t0 and the home are two), up to the quota, then ENOSPC.
     */
    @Test
    void transactionNodes() throws Exception {
        ok(dom0.request(26, org.jxenstored.wire.XsTestClient.nul("transaction-nodes", "5")));
        SimGuest g = bootGuest(5);
        int tx = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        for (int i = 0; i < 4; i++) {
            assertThat(ask(g, XsType.WRITE, tx, ("t" + i + "\0v").getBytes(StandardCharsets.ISO_8859_1)))
                    .isEqualTo("OK");
        }
        assertThat(ask(g, XsType.WRITE, tx, "t4\0v".getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo("ERROR ENOSPC");
        assertThat(dom0.control("quota", "5").text()).contains("transaction-nodes:        0 (max        5)\n");
    }
}
