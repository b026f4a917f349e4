package org.jxenstored.xen.jna;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jxenstored.protocol.XsType;
import org.junit.jupiter.api.Test;

/**
 * {@link XsType}'s codes against {@code enum xsd_sockmsg_type} of the installed {@code xs_wire.h}: the one table of
 * message types the daemon and its tests use (the test clients take their codes from it), pinned to Xen's header.
 */
class MessageTypeAbiTest {
    @Test
    void everyTypeTheHeaderDefinesHasItsCode() throws Exception {
        Map<String, Long> probe = AbiProbe.values();
        int compared = 0;
        for (XsType t : XsType.values()) {
            Long code = probe.get("const.XS_" + t.name());
            if (code != null) {
                assertThat((long) t.code).as(t.name()).isEqualTo(code);
                compared++;
            }
        }
        assertThat(compared).as("Xen 4.17's header has types 0 to 22 but 20").isGreaterThanOrEqualTo(22);
    }
}
