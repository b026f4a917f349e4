package org.jxenstored.xen.jna;

import com.sun.jna.Memory;
import java.util.OptionalInt;

/**
 * {@code struct evtchn_status} ({@code xen/include/public/event_channel.h}, unchanged since Xen 3): {@code domid_t
 * dom} at 0, {@code evtchn_port_t port} at 4, {@code uint32_t status} at 8, {@code vcpu} at 12, then the union at 16;
 * for an interdomain channel {@code u.interdomain.dom} at 16 and {@code u.interdomain.port} at 20. 24 bytes.
 */
final class EvtchnStatus {
    static final int SIZE = 24;
    /** {@code DOMID_SELF}: the channel is the caller's. */
    static final short DOMID_SELF = 0x7ff0;
    static final int EVTCHNSTAT_INTERDOMAIN = 2;

    private EvtchnStatus() {
    }

    /** The request for {@code localPort} of the calling domain. */
    static Memory request(int localPort) {
        Memory m = new Memory(SIZE);
        m.clear();
        m.setShort(0, DOMID_SELF);
        m.setInt(4, localPort);
        return m;
    }

    /** The remote port of an interdomain channel; empty for any other kind. */
    static OptionalInt remotePort(Memory answered) {
        if (answered.getInt(8) != EVTCHNSTAT_INTERDOMAIN) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(answered.getInt(20));
    }
}
