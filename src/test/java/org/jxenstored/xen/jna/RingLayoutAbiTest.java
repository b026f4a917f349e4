package org.jxenstored.xen.jna;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jxenstored.xen.RingLayout;
import org.junit.jupiter.api.Test;

/**
 * {@link RingLayout} against {@code struct xenstore_domain_interface} and the constants of the installed
 * {@code xen/io/xs_wire.h}. Debian 12's (Xen 4.17) has the {@code error} field and features RECONNECTION and
 * ERROR; {@code evtchn_port} and the WATCHDEPTH / DOMID_ANY feature bits are newer and checked only when present.
 */
class RingLayoutAbiTest {
    private static final String IFACE = "xenstore_domain_interface";

    @Test
    void fieldOffsetsMatchTheHeader() throws Exception {
        assertThat((long) RingLayout.REQ).isEqualTo(AbiProbe.value("offsetof." + IFACE + ".req"));
        assertThat((long) RingLayout.RSP).isEqualTo(AbiProbe.value("offsetof." + IFACE + ".rsp"));
        assertThat((long) RingLayout.REQ_CONS).isEqualTo(AbiProbe.value("offsetof." + IFACE + ".req_cons"));
        assertThat((long) RingLayout.REQ_PROD).isEqualTo(AbiProbe.value("offsetof." + IFACE + ".req_prod"));
        assertThat((long) RingLayout.RSP_CONS).isEqualTo(AbiProbe.value("offsetof." + IFACE + ".rsp_cons"));
        assertThat((long) RingLayout.RSP_PROD).isEqualTo(AbiProbe.value("offsetof." + IFACE + ".rsp_prod"));
        assertThat((long) RingLayout.SERVER_FEATURES)
                .isEqualTo(AbiProbe.value("offsetof." + IFACE + ".server_features"));
        assertThat((long) RingLayout.CONNECTION).isEqualTo(AbiProbe.value("offsetof." + IFACE + ".connection"));
        // Xen 4.17's header has the error field (it is what the probe prints it under)
        assertThat((long) RingLayout.ERROR).isEqualTo(AbiProbe.value("offsetof." + IFACE + ".error"));
        assertThat(AbiProbe.value("sizeof.XENSTORE_RING_IDX")).isEqualTo(4);
    }

    @Test
    void evtchnPortFollowsErrorWhereTheHeaderHasIt() throws Exception {
        long size = AbiProbe.value("sizeof." + IFACE);
        if (size > RingLayout.ERROR + 4L) {
            // Xen 4.21+: uint32_t evtchn_port right after error
            assertThat(size).isGreaterThanOrEqualTo(RingLayout.EVTCHN_PORT + 4L);
        } else {
            // Xen 4.17: the struct ends with error
            assertThat(size).isEqualTo(RingLayout.ERROR + 4L).isEqualTo(RingLayout.EVTCHN_PORT);
        }
        assertThat(size).isLessThanOrEqualTo(RingLayout.PAGE_SIZE);
    }

    @Test
    void ringSizesMatchTheHeader() throws Exception {
        assertThat((long) RingLayout.XENSTORE_RING_SIZE).isEqualTo(AbiProbe.value("const.XENSTORE_RING_SIZE"));
        assertThat((long) RingLayout.XENSTORE_PAYLOAD_MAX).isEqualTo(AbiProbe.value("const.XENSTORE_PAYLOAD_MAX"));
        assertThat(RingLayout.RSP - RingLayout.REQ).isEqualTo(RingLayout.XENSTORE_RING_SIZE);
        assertThat(RingLayout.mask(RingLayout.XENSTORE_RING_SIZE + 5)).isEqualTo(5);
        assertThat(RingLayout.mask(-1)).isEqualTo(RingLayout.XENSTORE_RING_SIZE - 1);
    }

    @Test
    void featureConnectionAndErrorValuesMatchTheHeader() throws Exception {
        Map<String, Long> probe = AbiProbe.values();
        assertThat((long) RingLayout.FEATURE_RECONNECTION)
                .isEqualTo(AbiProbe.value("const.XENSTORE_SERVER_FEATURE_RECONNECTION"));
        assertThat((long) RingLayout.FEATURE_ERROR).isEqualTo(AbiProbe.value("const.XENSTORE_SERVER_FEATURE_ERROR"));
        if (probe.containsKey("const.XENSTORE_SERVER_FEATURE_WATCHDEPTH")) {
            assertThat((long) RingLayout.FEATURE_WATCHDEPTH)
                    .isEqualTo(probe.get("const.XENSTORE_SERVER_FEATURE_WATCHDEPTH"));
        }
        if (probe.containsKey("const.XENSTORE_SERVER_FEATURE_DOMID_ANY")) {
            assertThat((long) RingLayout.FEATURE_DOMID_ANY)
                    .isEqualTo(probe.get("const.XENSTORE_SERVER_FEATURE_DOMID_ANY"));
        }
        assertThat((long) RingLayout.CONNECTED).isEqualTo(AbiProbe.value("const.XENSTORE_CONNECTED"));
        assertThat((long) RingLayout.RECONNECT).isEqualTo(AbiProbe.value("const.XENSTORE_RECONNECT"));
        assertThat((long) RingLayout.ERROR_NONE).isEqualTo(AbiProbe.value("const.XENSTORE_ERROR_NONE"));
        assertThat((long) RingLayout.ERROR_COMM).isEqualTo(AbiProbe.value("const.XENSTORE_ERROR_COMM"));
        assertThat((long) RingLayout.ERROR_RINGIDX).isEqualTo(AbiProbe.value("const.XENSTORE_ERROR_RINGIDX"));
        assertThat((long) RingLayout.ERROR_PROTO).isEqualTo(AbiProbe.value("const.XENSTORE_ERROR_PROTO"));
    }

    @Test
    void featureBitsAreDistinctSingleBits() {
        int[] bits = {RingLayout.FEATURE_RECONNECTION, RingLayout.FEATURE_ERROR, RingLayout.FEATURE_WATCHDEPTH,
                RingLayout.FEATURE_DOMID_ANY};
        int all = 0;
        for (int bit : bits) {
            assertThat(Integer.bitCount(bit)).isEqualTo(1);
            assertThat(all & bit).isZero();
            all |= bit;
        }
    }
}
