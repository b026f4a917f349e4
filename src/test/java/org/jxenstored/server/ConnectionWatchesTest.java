package org.jxenstored.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.jxenstored.watch.Watch;
import org.junit.jupiter.api.Test;

class ConnectionWatchesTest {
    private final Server server = new Server(new Limits());
    private final FakeConnection conn = new FakeConnection(0, true, server);

    private Watch watch(String path, String token) {
        return new Watch(conn, path, token, Watch.ANY_DEPTH, 0);
    }

    @Test
    void findsAndRemovesByPathAndTokenAndListsInRegistrationOrder() {
        ConnectionWatches w = conn.watches();
        Watch b = watch("/b", "t");
        Watch a = watch("/a", "t");
        Watch a2 = watch("/a", "u");
        w.add(b);
        w.add(a);
        w.add(a2);
        assertThat(w.find("/a", "t")).isSameAs(a);
        assertThat(w.find("/a", "v")).isNull();
        assertThat(w.all()).containsExactly(b, a, a2);
        assertThat(w.remove("/a", "t")).isSameAs(a);
        assertThat(w.remove("/a", "t")).isNull();
        assertThat(w.all()).containsExactly(b, a2);
        assertThat(w.size()).isEqualTo(2);
    }

    @Test
    void theRegistryKeepsIndexAndHeldMemoryInStep() {
        server.connect(conn);
        WatchRegistry registry = server.watches();
        registry.add(conn, watch("/x", "tok"));
        registry.add(conn, watch("/y", "tok"));
        assertThat(server.watchIndex().size()).isEqualTo(2);
        assertThat(server.quotas().held().total(0)).isEqualTo(2 + 3 + 2 + 3);
        assertThat(registry.remove(conn, "/x", "tok")).isTrue();
        assertThat(registry.remove(conn, "/x", "tok")).isFalse();
        assertThat(server.watchIndex().size()).isEqualTo(1);
        registry.removeAll(conn);
        assertThat(server.watchIndex().size()).isZero();
        assertThat(server.quotas().held().total(0)).isZero();
        assertThat(conn.watches().size()).isZero();
    }
}
