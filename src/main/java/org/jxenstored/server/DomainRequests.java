package org.jxenstored.server;

import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;
import org.jxenstored.store.Domids;

/**
 * The domain requests: argument parsing and privilege checks as C xenstored does them; the work is the
 * {@link DomainRegistry}'s.
 */
final class DomainRequests {
    private static final byte[] TRUE = Payload.nulTerminated("T");
    private static final byte[] FALSE = Payload.nulTerminated("F");

    private final Server server;

    DomainRequests(Server server) {
        this.server = server;
    }

    /** The domid is read as C reads it ({@code atoi}, unsigned): odd arguments get C's odd answers. */
    byte[] getDomainPath(Request r) {
        long domid = CNumbers.atoiUnsigned(Payload.single(r.msg.payload));
        return Payload.nulTerminated("/local/domain/" + domid);
    }

    /** Privileged only (XSA-115; {@code XsType.privilegedOnly}). {@code DOMID_SELF} is the caller. */
    byte[] isDomainIntroduced(Request r) {
        long domid = CNumbers.atoiUnsigned(Payload.single(r.msg.payload));
        if (domid == Domids.SELF) {
            domid = r.conn.domid();
        }
        return domid <= Integer.MAX_VALUE && server.domains().isIntroduced((int) domid) ? TRUE : FALSE;
    }

    /** INTRODUCE {@code <domid>|<gfn>|<evtchn>|}; further arguments are ignored, as in C. */
    byte[] introduce(Request r) {
        String[] args = Payload.terminatedStrings(r.msg.payload);
        if (args.length < 3) {
            throw XsError.EINVAL.exception();
        }
        int domid = domainArg(args[0]);
        long gfn = CNumbers.atoiUnsigned(args[1]);
        long port = CNumbers.atoiUnsigned(args[2]);
        if (port == 0 || port > Integer.MAX_VALUE) {
            throw XsError.EINVAL.exception();
        }
        server.quotas().adopt(domid); // a domain met now takes the global quota values of now
        server.domains().introduce(domid, gfn, (int) port);
        return NodeRequests.OK;
    }

    /** RELEASE {@code <domid>|}: Dom0 cannot be released. */
    byte[] release(Request r) {
        int domid = guestArg(Payload.single(r.msg.payload));
        server.domains().release(domid);
        server.quotas().forget(domid); // C 4.22 frees its struct domain: own quota values and maxima go with it
        return NodeRequests.OK;
    }

    /** RESUME {@code <domid>|}. */
    byte[] resume(Request r) {
        server.domains().resume(guestArg(Payload.single(r.msg.payload)));
        return NodeRequests.OK;
    }

    /** SET_TARGET {@code <domid>|<target>|}. */
    byte[] setTarget(Request r) {
        String[] args = Payload.terminatedStrings(r.msg.payload);
        if (args.length < 2) {
            throw XsError.EINVAL.exception();
        }
        long domid = CNumbers.atoiUnsigned(args[0]);
        long target = CNumbers.atoiUnsigned(args[1]);
        if (!Domids.isValid((int) domid) || domid > Integer.MAX_VALUE || !Domids.isValid((int) target)
                || target > Integer.MAX_VALUE) {
            throw XsError.ENOENT.exception();
        }
        server.domains().setTarget((int) domid, (int) target);
        return NodeRequests.OK;
    }

    /**
     * GET_FEATURE {@code [<domid>|]}: without an argument the caller's own features (any domain may ask); with one,
     * privileged only (EACCES), exactly one argument (EINVAL), a domid as C's {@code parse_domid} reads it (EINVAL),
     * a domain that exists (ENOENT).
     */
    byte[] getFeature(Request r) {
        String[] args = Payload.terminatedStrings(r.msg.payload);
        int domid;
        if (args.length == 0) {
            domid = r.conn.domid();
        } else {
            if (!r.conn.privileged()) {
                throw XsError.EACCES.exception(); // another domain's features
            }
            if (args.length > 1) {
                throw XsError.EINVAL.exception();
            }
            domid = existingDomain(args[0]);
        }
        return Payload.nulTerminated(Integer.toUnsignedString(server.domains().features(domid)));
    }

    /**
     * SET_FEATURE {@code <domid>|<features>|}: privileged; exactly two arguments (EINVAL); the domid as for
     * GET_FEATURE (EINVAL, ENOENT); the features read with {@code atoi}, as C does; then EBUSY once the domain is
     * introduced, EINVAL for bits not supported.
     */
    byte[] setFeature(Request r) {
        String[] args = Payload.terminatedStrings(r.msg.payload);
        if (args.length != 2) {
            throw XsError.EINVAL.exception();
        }
        int domid = existingDomain(args[0]);
        long features = CNumbers.atoiUnsigned(args[1]);
        server.domains().setFeatures(domid, (int) features);
        return NodeRequests.OK;
    }

    /** C 4.22's {@code parse_domid} (EINVAL) then {@code find_or_alloc_existing_domain} (ENOENT). */
    private int existingDomain(String s) {
        return existingDomain(server, s);
    }

    /** C 4.22's {@code parse_domid} (EINVAL) then {@code find_or_alloc_existing_domain} (ENOENT). */
    static int existingDomain(Server server, String s) {
        int domid = CNumbers.parseDomid(s);
        if (domid < 0) {
            throw XsError.EINVAL.exception();
        }
        if (!server.meetDomain(domid)) {
            throw XsError.ENOENT.exception();
        }
        return domid;
    }

    private static int domainArg(String s) {
        long domid = CNumbers.atoiUnsigned(s);
        if (domid > Integer.MAX_VALUE || !Domids.isValid((int) domid)) {
            throw XsError.EINVAL.exception();
        }
        return (int) domid;
    }

    /** A guest's domid: not Dom0 (C answers EINVAL for 0, and so for garbage that reads as 0). */
    private static int guestArg(String s) {
        int domid = domainArg(s);
        if (domid == 0) {
            throw XsError.EINVAL.exception();
        }
        return domid;
    }
}
