package org.jxenstored.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.junit.jupiter.api.Test;

/**
 * The benchmark client keeps its own copy of the message types it sends (the tool measures C xenstored and
 * oxenstored too, without the daemon's classes on its class path); this pins every one of them to the daemon's
 * {@link XsType}, itself pinned to Xen's xs_wire.h.
 */
class XsClientCodesTest {
    @Test
    void everyTypeCodeOfTheClientIsTheDaemons() throws Exception {
        int compared = 0;
        for (Field f : XsClient.class.getDeclaredFields()) {
            if (f.getType() != int.class || !Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            XsType t = null;
            for (XsType candidate : XsType.values()) {
                if (candidate.name().equals(f.getName())) {
                    t = candidate;
                }
            }
            if (t != null) {
                f.setAccessible(true);
                assertThat(f.getInt(null)).as(f.getName()).isEqualTo(t.code);
                compared++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(14);
        assertThat(XsClient.HEADER).isEqualTo(XsMessage.HEADER_SIZE);
        assertThat(XsClient.PAYLOAD_MAX).isEqualTo(XsMessage.PAYLOAD_MAX);
    }
}
