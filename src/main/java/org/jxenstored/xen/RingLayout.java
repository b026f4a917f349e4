package org.jxenstored.xen;

/**
 * The layout of a xenstore ring page, {@code struct xenstore_domain_interface} of Xen's {@code io/xs_wire.h}, and the
 * values of its fields. Offsets are byte offsets into the 4 KiB page; the indexes and the 32-bit fields are in the
 * machine's native byte order (it is memory shared with a guest on the same machine).
 *
 * <p>Checked against the installed Xen headers by {@code RingLayoutAbiTest} (offsets and every constant the headers
 * define; Xen 4.17 defines neither {@link #EVTCHN_PORT} nor the feature bits above {@link #FEATURE_ERROR}).
 */
public final class RingLayout {
    /** Size of the page the interface occupies. */
    public static final int PAGE_SIZE = 4096;
    /** {@code XENSTORE_RING_SIZE}: bytes in each of the two rings. Indexes are taken modulo this. */
    public static final int XENSTORE_RING_SIZE = 1024;
    /** {@code XENSTORE_PAYLOAD_MAX}: the largest payload of one message. */
    public static final int XENSTORE_PAYLOAD_MAX = 4096;

    /** {@code char req[XENSTORE_RING_SIZE]}: requests, guest to xenstored. */
    public static final int REQ = 0;
    /** {@code char rsp[XENSTORE_RING_SIZE]}: replies and watch events, xenstored to guest. */
    public static final int RSP = 1024;
    /** {@code XENSTORE_RING_IDX req_cons}: written by xenstored. */
    public static final int REQ_CONS = 2048;
    /** {@code XENSTORE_RING_IDX req_prod}: written by the guest. */
    public static final int REQ_PROD = 2052;
    /** {@code XENSTORE_RING_IDX rsp_cons}: written by the guest. */
    public static final int RSP_CONS = 2056;
    /** {@code XENSTORE_RING_IDX rsp_prod}: written by xenstored. */
    public static final int RSP_PROD = 2060;
    /** {@code uint32_t server_features}: bitmap of {@code FEATURE_*}, written by xenstored. */
    public static final int SERVER_FEATURES = 2064;
    /** {@code uint32_t connection}: {@link #CONNECTED} or {@link #RECONNECT}. */
    public static final int CONNECTION = 2068;
    /** {@code uint32_t error}: {@code ERROR_*}, set by xenstored when it gives up on a ring. */
    public static final int ERROR = 2072;
    /**
     * {@code uint32_t evtchn_port}: the event channel a guest may publish in the page (Xen 4.21 and later; not in
     * the 4.17 headers).
     */
    public static final int EVTCHN_PORT = 2076;

    /** {@code XENSTORE_SERVER_FEATURE_RECONNECTION}: the ring can be reset through {@link #CONNECTION}. */
    public static final int FEATURE_RECONNECTION = 1;
    /** {@code XENSTORE_SERVER_FEATURE_ERROR}: the {@link #ERROR} field is present. */
    public static final int FEATURE_ERROR = 2;
    /** {@code XENSTORE_SERVER_FEATURE_WATCHDEPTH}: WATCH takes a depth argument (Xen 4.22). */
    public static final int FEATURE_WATCHDEPTH = 4;
    /** {@code XENSTORE_SERVER_FEATURE_DOMID_ANY}: the "any domain" domid is understood (Xen 4.22). */
    public static final int FEATURE_DOMID_ANY = 8;

    /** {@code XENSTORE_CONNECTED}: steady state. */
    public static final int CONNECTED = 0;
    /** {@code XENSTORE_RECONNECT}: the guest asks for the ring to be reset. */
    public static final int RECONNECT = 1;

    /** {@code XENSTORE_ERROR_NONE}. */
    public static final int ERROR_NONE = 0;
    /** {@code XENSTORE_ERROR_COMM}: communication problem. */
    public static final int ERROR_COMM = 1;
    /** {@code XENSTORE_ERROR_RINGIDX}: invalid ring index. */
    public static final int ERROR_RINGIDX = 2;
    /** {@code XENSTORE_ERROR_PROTO}: protocol violation (payload too long). */
    public static final int ERROR_PROTO = 3;

    private RingLayout() {
    }

    /** {@code MASK_XENSTORE_IDX}: the position in a ring of a free-running index. */
    public static int mask(int index) {
        return index & (XENSTORE_RING_SIZE - 1);
    }
}
