package org.jxenstored.xen.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * libxenevtchn ({@code xenevtchn.h}, Xen 4.17, soname {@code libxenevtchn.so.1}). Handles are opaque pointers;
 * ports and domids are {@code uint32_t} (passed as {@code int}). Functions returning a port return -1 with errno set
 * on failure.
 */
interface XenEvtchnLib extends Library {
    Pointer xenevtchn_open(Pointer logger, int openFlags);

    /** Wraps a device descriptor inherited across exec; its bindings stay (libxenevtchn 1.2 and later). */
    @OptionalFunction
    Pointer xenevtchn_fdopen(Pointer logger, int fd, int openFlags);

    int xenevtchn_close(Pointer xce);

    int xenevtchn_fd(Pointer xce);

    int xenevtchn_notify(Pointer xce, int port);

    int xenevtchn_bind_interdomain(Pointer xce, int domid, int remotePort);

    int xenevtchn_bind_virq(Pointer xce, int virq);

    int xenevtchn_unbind(Pointer xce, int port);

    /** Reads one pending port from the device; blocks while none is pending. */
    int xenevtchn_pending(Pointer xce);

    int xenevtchn_unmask(Pointer xce, int port);
}
