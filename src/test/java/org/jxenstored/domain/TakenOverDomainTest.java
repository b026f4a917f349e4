package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;
import org.jxenstored.store.Tree;
import org.jxenstored.xen.XenPlatform;
import org.junit.jupiter.api.Test;

/** What C's stream does not say of a domain: Xen's answer first, else what the toolstack wrote in its home. */
class TakenOverDomainTest {
    private static XenPlatform saying(OptionalInt remote) {
        return (XenPlatform) Proxy.newProxyInstance(XenPlatform.class.getClassLoader(),
                new Class<?>[] {XenPlatform.class}, (proxy, method, args) -> {
                    if (method.getName().equals("remotePortOf")) {
                        return remote;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void xenFirstThenTheToolstacksNodesElseUnknown() {
        Tree live = new Server(new Limits()).store().live();
        assertThat(TakenOverDomain.remotePort(saying(OptionalInt.of(7)), live, 5, 42)).isEqualTo(7);
        assertThat(TakenOverDomain.remotePort(saying(OptionalInt.empty()), live, 5, 42)).isEqualTo(-1);
        assertThat(TakenOverDomain.ringFrame(live, 5)).isEqualTo(-1);
        live.write("/local/domain/5/store/port", "3".getBytes(StandardCharsets.US_ASCII), 0, false);
        live.write("/local/domain/5/store/ring-ref", "1044476\n".getBytes(StandardCharsets.US_ASCII), 0, false);
        assertThat(TakenOverDomain.remotePort(saying(OptionalInt.empty()), live, 5, 42)).isEqualTo(3);
        assertThat(TakenOverDomain.ringFrame(live, 5)).isEqualTo(1044476);
        live.write("/local/domain/6/store/port", "garbage".getBytes(StandardCharsets.US_ASCII), 0, false);
        assertThat(TakenOverDomain.remotePort(saying(OptionalInt.empty()), live, 6, 42)).isEqualTo(-1);
    }
}
