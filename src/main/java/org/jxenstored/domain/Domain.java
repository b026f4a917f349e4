package org.jxenstored.domain;

import org.jxenstored.store.Caller;
import org.jxenstored.transport.ring.RingConnection;
import org.jxenstored.xen.XenPlatform;

/** One domain the daemon knows: introduced (served), or only configured (SET_FEATURE before INTRODUCE). */
final class Domain {
    final int domid;
    boolean introduced;
    /** @releaseDomain already fired for the current shutdown; RESUME re-arms it. */
    boolean shutdownReported;
    int features;
    int target = Caller.NO_TARGET;
    RingConnection conn;
    XenPlatform.RingMapping mapping;
    int localPort = -1;
    int remotePort = -1;
    /** The ring's guest frame number from INTRODUCE (Dom0's own ring has none: 0). */
    long gfn;

    Domain(int domid, int features) {
        this.domid = domid;
        this.features = features;
    }

    @Override
    public String toString() {
        return "domain " + domid;
    }
}
