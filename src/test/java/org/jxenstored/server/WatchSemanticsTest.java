package org.jxenstored.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.junit.jupiter.api.Test;

/** Watch rules that need unprivileged connections or domain events, driven through the real request handler. */
class WatchSemanticsTest {
    private final Limits limits = new Limits();
    private final Server server = new Server(limits);
    private final FakeConnection dom0 = connect(0, true);

    private FakeConnection connect(int domid, boolean privileged) {
        FakeConnection c = new FakeConnection(domid, privileged, server);
        server.connect(c);
        return c;
    }

    private String request(FakeConnection c, XsType type, String... args) {
        return request(c, type, Payload.nulTerminated(args));
    }

    private String request(FakeConnection c, XsType type, byte[] payload) {
        int before = c.sent.size();
        server.handler().handle(c, new XsMessage(type.code, 1, 0, payload));
        XsMessage last = c.sent.subList(before, c.sent.size()).stream()
                .filter(m -> m.type != XsType.WATCH_EVENT.code).reduce((a, b) -> b).orElseThrow();
        String text = new String(last.payload, StandardCharsets.ISO_8859_1).replace("\0", "");
        return last.type == XsType.ERROR.code ? "ERROR " + text : text;
    }

    private static List<String> events(FakeConnection c) {
        return c.sent.stream().filter(m -> m.type == XsType.WATCH_EVENT.code)
                .map(m -> new String(m.payload, StandardCharsets.ISO_8859_1).replace('\0', '|'))
                .collect(Collectors.toList());
    }

    private void write(String path, String value) {
        byte[] p = (path + "\0" + value).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(request(dom0, XsType.WRITE, p)).isEqualTo("OK");
    }

    @Test
    void releaseDomainReachesPlainDepthOneAndPerDomainWatches() {
        request(dom0, XsType.WATCH, "@releaseDomain", "plain");
        request(dom0, XsType.WATCH, "@releaseDomain", "depth1", "1");
        request(dom0, XsType.WATCH, "@releaseDomain/5", "five");
        request(dom0, XsType.WATCH, "@releaseDomain/6", "six");
        request(dom0, XsType.WATCH, "@introduceDomain", "intro");
        dom0.sent.clear();
        server.fireReleaseDomain(5);
        assertThat(events(dom0)).containsExactly("@releaseDomain|plain|", "@releaseDomain/5|depth1|",
                "@releaseDomain/5|five|");
        dom0.sent.clear();
        server.fireIntroduceDomain(9);
        assertThat(events(dom0)).containsExactly("@introduceDomain|intro|");
    }

    @Test
    void specialWatchesTakeOnlyDepthOne() {
        assertThat(request(dom0, XsType.WATCH, "@releaseDomain", "t", "2")).isEqualTo("ERROR EINVAL");
        assertThat(request(dom0, XsType.WATCH, "@releaseDomain", "t", "1")).isEqualTo("OK");
    }

    @Test
    void specialEventsReachUnprivilegedDomainsOnlyWhenGrantedBySetPerms() {
        FakeConnection guest = connect(7, false);
        assertThat(request(guest, XsType.WATCH, "@introduceDomain", "g")).isEqualTo("OK");
        assertThat(events(guest)).as("the initial event always comes").containsExactly("@introduceDomain|g|");
        guest.sent.clear();
        server.fireIntroduceDomain(3);
        assertThat(events(guest)).isEmpty();
        assertThat(request(guest, XsType.SET_PERMS, "@introduceDomain", "n0", "r7")).isEqualTo("ERROR EACCES");
        assertThat(request(dom0, XsType.SET_PERMS, "@introduceDomain", "n0", "r7")).isEqualTo("OK");
        guest.sent.clear();
        server.fireIntroduceDomain(4);
        assertThat(events(guest)).containsExactly("@introduceDomain|g|");
    }

    @Test
    void unprivilegedWatchersHearOnlyOfNodesTheyMayReadOrWhoseParentTheyMayRead() {
        write("/pub", "");
        assertThat(request(dom0, XsType.SET_PERMS, "/pub", "n0", "r7")).isEqualTo("OK");
        FakeConnection guest = connect(7, false);
        request(guest, XsType.WATCH, "/", "root");
        guest.sent.clear();
        dom0.sent.clear();
        write("/secret", "x"); // parent / is n0: not readable by 7, nor is the node
        write("/pub/visible", "y"); // inherits r7
        assertThat(request(dom0, XsType.SET_PERMS, "/pub/visible", "n0")).isEqualTo("OK"); // old perms had r7
        write("/pub/visible", "z"); // node n0 now, but parent /pub is readable
        write("/secret/deeper", "w");
        assertThat(events(guest)).containsExactly("/pub/visible|root|", "/pub/visible|root|", "/pub/visible|root|");
    }

    @Test
    void relativeWatchesOfAGuestReportRelativePaths() {
        write("/local/domain/7", "");
        assertThat(request(dom0, XsType.SET_PERMS, "/local/domain/7", "n7")).isEqualTo("OK");
        FakeConnection guest = connect(7, false);
        assertThat(request(guest, XsType.WATCH, "device", "d")).isEqualTo("OK");
        write("/local/domain/7/device/vif/0", "");
        assertThat(events(guest)).containsExactly("device|d|", "device/vif/0|d|");
    }

    @Test
    void watchQuotaAppliesToUnprivilegedConnections() {
        limits.set(QuotaKind.WATCHES, 2);
        FakeConnection guest = connect(7, false);
        assertThat(request(guest, XsType.WATCH, "/a", "1")).isEqualTo("OK");
        assertThat(request(guest, XsType.WATCH, "/b", "2")).isEqualTo("OK");
        assertThat(request(guest, XsType.WATCH, "/c", "3")).isEqualTo("ERROR ENOSPC");
        assertThat(request(guest, XsType.UNWATCH, "/a", "1")).isEqualTo("OK");
        assertThat(request(guest, XsType.WATCH, "/c", "3")).isEqualTo("OK");
        assertThat(request(dom0, XsType.WATCH, "/x", "1")).isEqualTo("OK");
        assertThat(request(dom0, XsType.WATCH, "/y", "2")).isEqualTo("OK");
        assertThat(request(dom0, XsType.WATCH, "/z", "3")).as("privileged: exempt").isEqualTo("OK");
    }

    @Test
    void everyWayAWatchGoesAwayClearsTheIndex() {
        FakeConnection a = connect(0, true);
        request(a, XsType.WATCH, "/w1", "t");
        request(a, XsType.WATCH, "/w2", "t");
        request(a, XsType.WATCH, "/w3", "t");
        assertThat(server.watchIndex().size()).isEqualTo(3);
        request(a, XsType.UNWATCH, "/w1", "t");
        assertThat(server.watchIndex().size()).isEqualTo(2);
        request(a, XsType.RESET_WATCHES, new byte[0]);
        assertThat(server.watchIndex().size()).isZero();
        request(a, XsType.WATCH, "/w4", "t");
        a.close();
        a.close();
        assertThat(server.watchIndex().size()).isZero();
        assertThat(server.check()).isEmpty();
    }

    @Test
    void depthLimitsMatching() {
        request(dom0, XsType.WATCH, "/d", "d0", "0");
        request(dom0, XsType.WATCH, "/d", "d1", "1");
        request(dom0, XsType.WATCH, "/d", "any");
        dom0.sent.clear();
        write("/d", "");
        write("/d/a", "");
        write("/d/a/b", "");
        assertThat(events(dom0)).containsExactly("/d|d0|", "/d|d1|", "/d|any|", "/d/a|d1|", "/d/a|any|",
                "/d/a/b|any|");
    }
}
