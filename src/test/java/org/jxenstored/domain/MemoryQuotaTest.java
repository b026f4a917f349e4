package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.HeldMemory;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.testing.SimHost;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;

/**
 * The {@code memory} quota bounds everything a guest makes the daemon hold, not only its nodes: its watches, the
 * events and replies waiting for it to read them, and the changes of its open transactions (XSA-326). A guest that
 * pushes any of them to the limit gets ENOSPC or loses events, while everyone else is served.
 */
class MemoryQuotaTest extends GuestTestSupport {
    private static final int QUOTA = 40_000;

    @Override
    SimHost startSimHost() {
        return SimHost.start(l -> {
            l.set(QuotaKind.MEMORY, QUOTA);
            l.set(QuotaKind.SOFT_MEMORY, 0);
            l.writeRatePerSecond = 0;
            l.pendingEventsPerConnection = 0; // only the memory quota bounds the queue here
        }, new DomainOptions());
    }

    /** What domain {@code domid} is charged: its nodes plus what it holds outside the tree. */
    private long charged(int domid) {
        return host.onStore(() -> host.server().store().usage().bytes(domid)
                + host.server().quotas().held().total(domid));
    }

    private long held(int domid, HeldMemory.Kind kind) {
        return host.onStore(() -> host.server().quotas().held().of(domid, kind));
    }

    private void assertCheckOk() {
        assertThat(dom0.control("check").text()).isEqualTo("OK\0");
    }

    @Test
    void watchesCountAgainstTheMemoryQuotaAndUnwatchReleasesThem() throws Exception {
        SimGuest g = bootGuest(5);
        String token = "t".repeat(1000);
        int placed = 0;
        String answer = "OK";
        while (answer.equals("OK") && placed < 100) {
            answer = ask(g, XsType.WATCH, "w" + placed, token);
            if (answer.equals("OK")) {
                g.receive(2000); // the initial event
                placed++;
            }
        }
        assertThat(answer).isEqualTo("ERROR ENOSPC");
        assertThat(placed).as("about quota / 1 KB watches").isBetween(30, 40);
        assertThat(charged(5)).isLessThanOrEqualTo(QUOTA);
        assertCheckOk();

        assertThat(ask(g, XsType.UNWATCH, "w0", token)).isEqualTo("OK");
        assertThat(ask(g, XsType.WATCH, "again", token)).as("room again after UNWATCH").isEqualTo("OK");
        assertThat(ask(g, XsType.RESET_WATCHES)).isEqualTo("OK");
        assertThat(held(5, HeldMemory.Kind.WATCHES)).isZero();
        assertCheckOk();
    }

    @Test
    void aGuestThatNeverReadsItsEventsLosesThemAtItsQuotaAndOthersAreServed() throws Exception {
        SimGuest sleeper = bootGuest(5);
        SimGuest other = bootGuest(6);
        ok(dom0.write("/busy", ""));
        ok(dom0.setPerms("/busy", "n0", "r5", "r6"));
        String token = "k".repeat(200);
        for (int i = 0; i < 20; i++) {
            assertThat(ask(sleeper, XsType.WATCH, "/busy", token + i)).isEqualTo("OK");
        }
        assertThat(ask(other, XsType.WATCH, "/busy", "o")).isEqualTo("OK");
        // 20 watches × 2000 writes of distinct nodes: about 8 MB of events for a guest that reads none of them.
        XsTestClient toolstack = dom0;
        for (int i = 0; i < 2000; i++) {
            ok(toolstack.write("/busy/n" + i, "v"));
            if (i % 100 == 0) {
                assertThat(charged(5)).isLessThanOrEqualTo(QUOTA);
            }
        }
        long queued = host.onStore(() -> host.server().connections().stream().filter(c -> c.domid() == 5)
                .mapToLong(c -> c.waitingBytes()).sum());
        assertThat(queued).as("events wait up to the quota").isGreaterThan(QUOTA / 2);
        assertThat(charged(5)).isLessThanOrEqualTo(QUOTA);
        long refused = host.onStore(() -> host.server().connections().stream().filter(c -> c.domid() == 5)
                .mapToLong(c -> c.eventLossCounters()[3]).sum());
        assertThat(refused).as("events dropped over the memory quota").isGreaterThan(30_000);
        assertThat(write(other, "x", "still served")).isEqualTo("OK");
        assertCheckOk();

        // Once the guest reads, what waited is delivered and the charge goes back to its watches alone.
        int got = 0;
        while (sleeper.receive(500) != null) {
            got++;
        }
        assertThat(got).isGreaterThan(100);
        assertThat(held(5, HeldMemory.Kind.OUTPUT)).isZero();
        assertCheckOk();
    }

    @Test
    void transactionsFilledWithLargeNodesShareTheQuotaAndEndingThemReleasesIt() throws Exception {
        SimGuest g = bootGuest(5);
        byte[] value = "v".repeat(2000).getBytes(StandardCharsets.ISO_8859_1);
        int[] txs = new int[10];
        for (int t = 0; t < txs.length; t++) {
            txs[t] = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        }
        // Without a domain-wide charge each of the 10 transactions could fill a whole quota of its own.
        int written = 0;
        String answer = "OK";
        for (int n = 0; answer.equals("OK") && n < 100; n++) {
            int tx = txs[n % txs.length];
            answer = ask(g, XsType.WRITE, tx, concat(("n" + n + "\0").getBytes(), value));
            if (answer.equals("OK")) {
                written++;
            }
        }
        assertThat(answer).isEqualTo("ERROR ENOSPC");
        assertThat(written).as("the transactions together hold at most the quota").isBetween(15, 20);
        assertThat(charged(5)).isLessThanOrEqualTo(QUOTA);
        assertCheckOk();

        for (int t = 1; t < txs.length; t++) {
            assertThat(ask(g, XsType.TRANSACTION_END, txs[t], "F\0".getBytes())).isEqualTo("OK");
        }
        assertThat(ask(g, XsType.TRANSACTION_END, txs[0], "T\0".getBytes())).isEqualTo("OK");
        assertThat(held(5, HeldMemory.Kind.TRANSACTIONS)).as("ended transactions hold nothing").isZero();
        long stored = host.onStore(() -> host.server().store().usage().bytes(5));
        assertThat(stored).as("the committed one's nodes are now charged as nodes").isGreaterThan(2000L * 2);
        assertThat(write(g, "after", "fine")).isEqualTo("OK");
        assertCheckOk();
    }

    @Test
    void aGuestsConnectionEndingReleasesAllItHeld() throws Exception {
        SimGuest g = bootGuest(5);
        assertThat(ask(g, XsType.WATCH, "w", "tok")).isEqualTo("OK");
        int tx = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        assertThat(ask(g, XsType.WRITE, tx, "x\0value".getBytes())).isEqualTo("OK");
        assertThat(host.onStore(() -> host.server().quotas().held().total(5))).isPositive();
        ok(dom0.request(XsTestClient.RELEASE, XsTestClient.nul("5")));
        assertThat(host.onStore(() -> host.server().quotas().held().total(5))).isZero();
        assertCheckOk();
    }

    @Test
    void aTransactionWhoseViewKeepsTooMuchAliveDropsItAndLosesNothing() throws Exception {
        SimGuest g = bootGuest(5);
        ok(dom0.write("/churn", ""));
        assertThat(write(g, "poke", "1")).isEqualTo("OK");
        int tx = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        assertThat(ask(g, XsType.READ, tx, "poke\0".getBytes())).isEqualTo("1");
        assertThat(ask(g, XsType.WRITE, tx, "mine\0x".getBytes())).isEqualTo("OK");
        int quiet = Integer.parseInt(ask(g, XsType.TRANSACTION_START, ""));
        String big = "c".repeat(2000);
        for (int i = 0; i < 30; i++) {
            ok(dom0.write("/churn/big", big + i)); // 60 KB of old versions its view keeps alive
        }
        assertThat(write(g, "other", "1")).isEqualTo("OK"); // a request of the guest's: the limiter looks after each
        assertThat(host.onStore(() -> host.server().transactionViewsDropped())).isPositive();
        long kept = host.onStore(() -> host.server().connections().stream().filter(c -> c.domid() == 5)
                .mapToLong(c -> host.server().keptAliveBySnapshots(c)).sum());
        assertThat(kept).isZero();
        assertThat(ask(g, XsType.READ, tx, "mine\0".getBytes())).as("rebuilt with its own change").isEqualTo("x");
        assertThat(ask(g, XsType.TRANSACTION_END, tx, "T\0".getBytes())).as("nothing it accessed changed")
                .isEqualTo("OK");
        assertThat(ask(g, XsType.READ, 0, "mine\0".getBytes())).isEqualTo("x");
        assertThat(ask(g, XsType.TRANSACTION_END, quiet, "T\0".getBytes())).isEqualTo("OK");
        assertCheckOk();
    }

    /**
     * Issue 12: ten guests hold ten transactions each while Dom0 rewrites nodes none of them accessed, far more than
     * their memory quota in old versions. Their views are dropped to stay within the quota, and all 100 commit, as
     * in C (before, 90 of 100 failed with EAGAIN).
     */
    @Test
    void transactionsNeverFailForNodesTheyDidNotAccessWhateverTheChurnElsewhere() throws Exception {
        int guests = 10;
        int perGuest = 10;
        SimGuest[] g = new SimGuest[guests];
        int[][] tx = new int[guests][perGuest];
        ok(dom0.write("/churn", ""));
        for (int d = 0; d < guests; d++) {
            g[d] = bootGuest(10 + d);
            for (int t = 0; t < perGuest; t++) {
                tx[d][t] = Integer.parseInt(ask(g[d], XsType.TRANSACTION_START, ""));
                assertThat(ask(g[d], XsType.READ, tx[d][t], ("n" + t + "\0").getBytes())).isEqualTo("ERROR ENOENT");
                assertThat(ask(g[d], XsType.WRITE, tx[d][t], ("n" + t + "\0v").getBytes())).isEqualTo("OK");
            }
        }
        String big = "c".repeat(2000);
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 30; i++) {
                ok(dom0.write("/churn/big" + (i % 3), big + round + i)); // 60 KB of old versions per round
            }
            for (int d = 0; d < guests; d++) {
                assertThat(ask(g[d], XsType.READ, tx[d][round], ("n" + round + "\0").getBytes())).isEqualTo("v");
            }
        }
        assertThat(host.onStore(() -> host.server().transactionViewsDropped())).isPositive();
        int committed = 0;
        for (int d = 0; d < guests; d++) {
            for (int t = 0; t < perGuest; t++) {
                if (ask(g[d], XsType.TRANSACTION_END, tx[d][t], "T\0".getBytes()).equals("OK")) {
                    committed++;
                }
            }
        }
        assertThat(committed).isEqualTo(guests * perGuest);
        assertThat(ask(g[3], XsType.READ, 0, "n7\0".getBytes())).isEqualTo("v");
        assertCheckOk();
    }

    @Test
    void aGuestChurningItsOwnNodesUnderOpenTransactionsKeepsAtMostItsQuotaAlive() throws Exception {
        SimGuest g = bootGuest(5);
        byte[] value = "v".repeat(1500).getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 10; round++) {
            String tx = ask(g, XsType.TRANSACTION_START, "");
            assertThat(tx).doesNotStartWith("ERROR");
            assertThat(ask(g, XsType.READ, Integer.parseInt(tx), "n0\0".getBytes())).isNotNull(); // builds a view
            for (int n = 0; n < 15; n++) {
                value[0] = (byte) ('a' + round);
                assertThat(ask(g, XsType.WRITE, 0, concat(("n" + n + "\0").getBytes(), value))).isEqualTo("OK");
            }
            long kept = host.onStore(() -> host.server().connections().stream().filter(c -> c.domid() == 5)
                    .mapToLong(c -> host.server().keptAliveBySnapshots(c)).sum());
            assertThat(charged(5) + kept).as("round %d", round).isLessThanOrEqualTo(QUOTA);
        }
        assertThat(host.onStore(() -> host.server().transactionViewsDropped())).isPositive();
        assertCheckOk();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
