package org.jxenstored.server;

import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;
import org.jxenstored.store.Paths;

/** The domain requests a socket-only daemon can answer: GET_DOMAIN_PATH and IS_DOMAIN_INTRODUCED. */
final class DomainRequests {
    private static final byte[] TRUE = Payload.nulTerminated("T");
    private static final byte[] FALSE = Payload.nulTerminated("F");

    byte[] getDomainPath(Request r) {
        return Payload.nulTerminated(Paths.domainPath(parseDomid(Payload.single(r.msg.payload))));
    }

    /** Privileged only (XSA-115). Without a hypervisor only Dom0 is introduced. */
    byte[] isDomainIntroduced(Request r) {
        requirePrivileged(r);
        int domid = parseDomid(Payload.single(r.msg.payload));
        return domid == 0 ? TRUE : FALSE;
    }

    static void requirePrivileged(Request r) {
        if (!r.conn.privileged()) {
            throw XsError.EACCES.exception();
        }
    }

    /** A domid argument: decimal, 0 to 65535. */
    static int parseDomid(String s) {
        if (s.isEmpty() || s.length() > 5) {
            throw XsError.EINVAL.exception();
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw XsError.EINVAL.exception();
            }
            v = v * 10 + (c - '0');
        }
        if (v > 0xFFFF) {
            throw XsError.EINVAL.exception();
        }
        return v;
    }
}
