package org.jxenstored.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.FakeConnection;
import org.jxenstored.server.Limits;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.Server;

/**
 * The counters behind {@code stats} and {@code connections}, driven through the real request handler: requests,
 * errors and latencies per type, requests per domain, quota refusals, transactions and EAGAIN, watch events, the
 * slowest reader first, and a recorder that does not allocate.
 */
class DaemonStatsTest {
    private final Limits limits = new Limits();
    private final Server server = new Server(limits);
    private final DaemonStats stats = new DaemonStats(server, "test", Runnable::run);
    private final FakeConnection dom0 = connect(0, true, "socket");

    {
        server.setRequestStats(stats.recorder());
    }

    private FakeConnection connect(int domid, boolean privileged, String transport) {
        FakeConnection c = new FakeConnection(domid, privileged, server, transport);
        server.connect(c);
        return c;
    }

    private String request(FakeConnection c, XsType type, String... args) {
        return request(c, type, 0, Payload.nulTerminated(args));
    }

    private String request(FakeConnection c, XsType type, int tx, byte[] payload) {
        int before = c.sent.size();
        server.handler().handle(c, new XsMessage(type.code, 1, tx, payload));
        XsMessage last = c.sent.subList(before, c.sent.size()).stream()
                .filter(m -> m.type != XsType.WATCH_EVENT.code).reduce((a, b) -> b).orElse(null);
        if (last == null) {
            return "(waiting)";
        }
        String text = new String(last.payload, StandardCharsets.ISO_8859_1).replace("\0", "");
        return last.type == XsType.ERROR.code ? "ERROR " + text : text;
    }

    private String write(FakeConnection c, int tx, String path, String value) {
        return request(c, XsType.WRITE, tx, (path + "\0" + value).getBytes(StandardCharsets.ISO_8859_1));
    }

    private static StatsSnapshot.TypeRow type(StatsSnapshot s, String name) {
        return s.types().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    /** A guest's home, owned by it. */
    private FakeConnection guest(int domid) {
        String home = "/local/domain/" + domid;
        assertThat(write(dom0, 0, home, "")).isEqualTo("OK");
        assertThat(request(dom0, XsType.SET_PERMS, home, "n" + domid)).isEqualTo("OK");
        return connect(domid, false, "ring");
    }

    @Test
    void requestsErrorsAndLatenciesPerType() {
        for (int i = 0; i < 10; i++) {
            assertThat(write(dom0, 0, "/a/" + i, "v")).isEqualTo("OK");
        }
        assertThat(request(dom0, XsType.READ, "/a/1")).isEqualTo("v");
        assertThat(request(dom0, XsType.READ, "/nope")).isEqualTo("ERROR ENOENT");
        assertThat(request(dom0, XsType.READ, "/nope/either")).isEqualTo("ERROR ENOENT");
        server.handler().handle(dom0, new XsMessage(99, 1, 0, new byte[0])); // an undefined type: ENOSYS

        StatsSnapshot s = stats.snapshot();
        assertThat(s.requests()).isEqualTo(14);
        assertThat(s.requestErrors()).isEqualTo(3);
        StatsSnapshot.TypeRow write = type(s, "write");
        assertThat(write.count()).isEqualTo(10);
        assertThat(write.errors()).isZero();
        assertThat(write.p50Nanos()).isPositive();
        assertThat(write.p50Nanos()).isLessThanOrEqualTo(write.p99Nanos());
        assertThat(write.p99Nanos()).isLessThanOrEqualTo(write.maxNanos());
        assertThat(write.totalNanos()).isGreaterThanOrEqualTo(write.p50Nanos());
        assertThat(type(s, "read").count()).isEqualTo(3);
        assertThat(type(s, "read").errors()).isEqualTo(2);
        assertThat(type(s, "other").count()).isEqualTo(1);
        assertThat(type(s, "other").errors()).isEqualTo(1);
        assertThat(s.types()).extracting(StatsSnapshot.TypeRow::name).as("only types seen, in wire order")
                .containsExactly("read", "write", "other");
    }

    @Test
    void requestsPerDomainOutliveTheirConnectionsUntilTheDomainIsForgotten() {
        FakeConnection g = guest(7);
        request(g, XsType.READ, "/local/domain/7");
        request(g, XsType.GET_DOMAIN_PATH, "7");
        FakeConnection other = connect(0, true, "socket");
        request(other, XsType.READ, "/");
        assertThat(stats.snapshot().domainRequests()).containsEntry(0, 3L).containsEntry(7, 2L);

        g.close();
        other.close();
        StatsSnapshot s = stats.snapshot();
        assertThat(s.domainRequests()).containsEntry(0, 3L).containsEntry(7, 2L);
        assertThat(s.connections()).hasSize(1);

        server.forgetDomain(7);
        assertThat(stats.snapshot().domainRequests()).containsOnlyKeys(0);
    }

    @Test
    void quotaRefusalsAreCountedPerQuota() {
        server.quotas().adopt(7);
        server.quotas().setDomainLimit(7, QuotaKind.WATCHES, 1);
        server.quotas().setDomainLimit(7, QuotaKind.TRANSACTIONS, 1);
        server.quotas().setDomainLimit(7, QuotaKind.NODES, 2);
        server.quotas().setDomainLimit(7, QuotaKind.NODE_SIZE, 100);
        server.quotas().setDomainLimit(7, QuotaKind.PATH_MAX, 20);
        server.quotas().setDomainLimit(7, QuotaKind.TRANSACTION_NODES, 3);
        FakeConnection g = guest(7);

        assertThat(request(g, XsType.WATCH, "/local/domain/7/a", "t1")).isEqualTo("OK");
        assertThat(request(g, XsType.WATCH, "/local/domain/7/b", "t2")).isEqualTo("ERROR ENOSPC");
        assertThat(write(g, 0, "x", "1")).isEqualTo("OK"); // the home and x: 2 nodes
        assertThat(write(g, 0, "y", "1")).isEqualTo("ERROR ENOSPC");
        assertThat(write(g, 0, "x", "v".repeat(200))).isEqualTo("ERROR ENOSPC");
        assertThat(write(g, 0, "a-very-long-name-beyond-twenty", "1")).isEqualTo("ERROR EINVAL");
        String tx = request(g, XsType.TRANSACTION_START, "");
        assertThat(request(g, XsType.TRANSACTION_START, "")).isEqualTo("ERROR ENOSPC");
        int id = Integer.parseInt(tx);
        long refusedInTransaction = 0;
        for (String path : new String[] {"x", "/local/domain/7", "n1", "n2", "n3", "n4"}) {
            if (request(g, XsType.READ, id, Payload.nulTerminated(path)).equals("ERROR ENOSPC")) {
                refusedInTransaction++;
            }
        }
        assertThat(refusedInTransaction).as("reads beyond 3 nodes in a transaction").isPositive();

        StatsSnapshot s = stats.snapshot();
        assertThat(s.quotaRefusals()).containsEntry("watches", 1L).containsEntry("transactions", 1L)
                .containsEntry("nodes", 1L).containsEntry("node-size", 1L).containsEntry("path-max", 1L)
                .containsEntry("transaction-nodes", refusedInTransaction).containsEntry("memory", 0L)
                .containsEntry("outstanding", 0L).containsKey("memory-soft");
        assertThat(s.quotaRefusals().keySet()).containsExactly("nodes", "watches", "outstanding", "memory",
                "transactions", "transaction-nodes", "node-permissions", "path-max", "node-size", "memory-soft");
    }

    @Test
    void commitsConflictsAndAborts() {
        assertThat(write(dom0, 0, "/t", "0")).isEqualTo("OK");
        FakeConnection other = connect(0, true, "socket");
        int a = Integer.parseInt(request(dom0, XsType.TRANSACTION_START, ""));
        int b = Integer.parseInt(request(other, XsType.TRANSACTION_START, ""));
        int c = Integer.parseInt(request(other, XsType.TRANSACTION_START, ""));
        request(dom0, XsType.READ, a, Payload.nulTerminated("/t"));
        request(other, XsType.READ, b, Payload.nulTerminated("/t"));
        write(dom0, a, "/t", "a");
        write(other, b, "/t", "b");
        assertThat(stats.snapshot().transactionsOpen()).isEqualTo(3);
        assertThat(request(dom0, XsType.TRANSACTION_END, a, Payload.nulTerminated("T"))).isEqualTo("OK");
        assertThat(request(other, XsType.TRANSACTION_END, b, Payload.nulTerminated("T"))).isEqualTo("ERROR EAGAIN");
        assertThat(request(other, XsType.TRANSACTION_END, c, Payload.nulTerminated("F"))).isEqualTo("OK");

        StatsSnapshot s = stats.snapshot();
        assertThat(s.transactionsStarted()).isEqualTo(3);
        assertThat(s.commits()).isEqualTo(1);
        assertThat(s.conflicts()).isEqualTo(1);
        assertThat(s.aborts()).isEqualTo(1);
        assertThat(s.transactionsOpen()).isZero();
        assertThat(type(s, "transaction_end").errors()).isEqualTo(1);
        assertThat(s.liveUpdates()).isZero();
        assertThat(s.restarts()).isZero();
    }

    @Test
    void watchEventsSentMergedDroppedAndExpired() {
        limits.pendingEventsPerConnection = 2;
        limits.watchEventTimeoutMillis = 1000;
        FakeConnection w = connect(0, true, "socket");
        request(w, XsType.WATCH, "/w", "tok"); // its initial event is sent at once
        w.writable = false;
        write(dom0, 0, "/w/a", "1");
        write(dom0, 0, "/w/a", "2"); // the same event again: merged
        write(dom0, 0, "/w/b", "1");
        write(dom0, 0, "/w/c", "1"); // a third waiting event: dropped
        StatsSnapshot s = stats.snapshot();
        assertThat(s.queuedEvents()).isEqualTo(2);
        assertThat(s.outstandingReplies()).isZero();
        assertThat(s.queuedBytes()).isPositive();

        w.now += 2_000_000_000L; // both waited longer than the timeout
        w.writable = true;
        w.drain();
        s = stats.snapshot();
        assertThat(s.events()).isEqualTo(new StatsSnapshot.Events(1, 1, 1, 2, 0));

        w.close();
        assertThat(stats.snapshot().events()).as("counts outlive the connection")
                .isEqualTo(new StatsSnapshot.Events(1, 1, 1, 2, 0));
    }

    @Test
    void connectionsAreListedSlowestReaderFirst() {
        FakeConnection fast = connect(0, true, "socket");
        FakeConnection slow = connect(3, true, "ring");
        FakeConnection slower = connect(4, true, "ring");
        FakeConnection stuckBytes = connect(0, true, "socket");
        for (FakeConnection c : new FakeConnection[] {fast, slow, slower, stuckBytes}) {
            request(c, XsType.WATCH, "/s", "t" + c.id());
        }
        slow.writable = false;
        slower.writable = false;
        stuckBytes.unread = 500;
        slower.now = 0;
        write(dom0, 0, "/s/x", "1"); // queued for slow and slower at their now = 0
        slow.now = 1_000_000_000L;
        slower.now = 3_000_000_000L;
        request(slow, XsType.READ, "/s/x"); // a reply waiting behind the event

        StatsSnapshot s = stats.snapshot();
        assertThat(s.connections()).extracting(StatsSnapshot.ConnectionRow::name)
                .startsWith("D4", "D3", "A" + stuckBytes.id());
        StatsSnapshot.ConnectionRow first = s.connections().get(0);
        assertThat(first.oldestWaitingNanos()).isEqualTo(3_000_000_000L);
        assertThat(first.queuedEvents()).isEqualTo(1);
        assertThat(first.inputPaused()).isTrue();
        StatsSnapshot.ConnectionRow second = s.connections().get(1);
        assertThat(second.queuedReplies()).isEqualTo(1);
        assertThat(second.watches()).isEqualTo(1);
        assertThat(s.outstandingReplies()).isEqualTo(1);
        assertThat(s.oldestWaitingNanos()).isEqualTo(3_000_000_000L);
        assertThat(s.unreadBytes()).isEqualTo(500);

        String table = StatsFormat.connections(s);
        String[] lines = table.split("\n");
        assertThat(lines[0]).startsWith("conn").contains("oldest_ms");
        assertThat(lines[1]).startsWith("D4 ").contains(" 3000 ").endsWith("paused");
        assertThat(lines[2]).startsWith("D3 ");
        assertThat(lines).hasSize(1 + s.connections().size());
    }

    @Test
    void otherThreadsGetSnapshotsTakenOnTheStoreThread() throws Exception {
        ExecutorService store = Executors.newSingleThreadExecutor(r -> new Thread(r, "store"));
        try {
            String[] thread = new String[1];
            DaemonStats onStore = new DaemonStats(server, "test", task -> store.execute(() -> {
                thread[0] = Thread.currentThread().getName();
                task.run();
            }));
            StatsSnapshot s = onStore.recent(0);
            assertThat(thread[0]).isEqualTo("store");
            assertThat(onStore.recent(60_000)).as("a young snapshot is reused").isSameAs(s);
            assertThat(onStore.recent(0)).isNotSameAs(s);
            store.shutdown();
            assertThat(store.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(onStore.recent(0)).as("a stopped store thread: the last snapshot").isNotNull();
        } finally {
            store.shutdownNow();
        }
    }

    @Test
    void recordingARequestAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.jxenstored.server.RequestStats r = stats.recorder();
        for (int i = 0; i < 100_000; i++) { // warm up (JIT)
            r.served(XsType.WRITE.code, false, 1000 + i);
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            r.served(i % 30, (i & 1) == 0, 100L * i);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(allocated).as("bytes allocated recording 100000 requests").isLessThan(1024);
    }
}
