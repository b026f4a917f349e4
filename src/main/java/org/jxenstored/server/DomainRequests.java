package org.jxenstored.server;

import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.CNumbers;
import org.jxenstored.store.Domids;

/** The domain requests a socket-only daemon can answer: GET_DOMAIN_PATH and IS_DOMAIN_INTRODUCED. */
final class DomainRequests {
    private static final byte[] TRUE = Payload.nulTerminated("T");
    private static final byte[] FALSE = Payload.nulTerminated("F");

    /** The domid is read as C reads it ({@code atoi}, unsigned): odd arguments get C's odd answers. */
    byte[] getDomainPath(Request r) {
        long domid = CNumbers.atoiUnsigned(Payload.single(r.msg.payload));
        return Payload.nulTerminated("/local/domain/" + domid);
    }

    /** Privileged only (XSA-115). Without a hypervisor only Dom0 (also as DOMID_SELF) is introduced. */
    byte[] isDomainIntroduced(Request r) {
        requirePrivileged(r);
        long domid = CNumbers.atoiUnsigned(Payload.single(r.msg.payload));
        return domid == 0 || domid == Domids.SELF ? TRUE : FALSE;
    }

    static void requirePrivileged(Request r) {
        if (!r.conn.privileged()) {
            throw XsError.EACCES.exception();
        }
    }

}
