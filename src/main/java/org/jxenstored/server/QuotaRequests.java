package org.jxenstored.server;

import java.util.List;
import java.util.Optional;
import org.jxenstored.control.Quotas;
import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;
import org.jxenstored.store.Domids;

/**
 * GET_QUOTA and SET_QUOTA (Xen 4.22), privileged only: {@code [<domid>|]<quota>|} and
 * {@code [<domid>|]<quota>|<value>|}. Without a domid they read or set the global value, with one that domain's
 * own value (which starts as the global one and dies with the domain). Names are C's ({@code nodes},
 * {@code watches}, {@code transactions}, {@code node-size}, {@code permissions}, {@code memory}, ...), a
 * {@code soft-} prefix names the soft (warning) level; 0 disables a quota.
 */
final class QuotaRequests {
    private final Server server;

    QuotaRequests(Server server) {
        this.server = server;
    }

    byte[] get(Request r) {
        DomainRequests.requirePrivileged(r);
        String[] args = Payload.terminatedStrings(r.msg.payload);
        if (args.length == 1) {
            return value(quota(args[0]).get().applyAsInt(server.limits()));
        }
        if (args.length == 2) {
            int domid = knownDomain(args[0]);
            Quotas.Quota q = quota(args[1]);
            return value(server.quotas().limit(domid, args[1], q.get().applyAsInt(server.limits())));
        }
        throw XsError.EINVAL.exception();
    }

    byte[] set(Request r) {
        DomainRequests.requirePrivileged(r);
        String[] args = Payload.terminatedStrings(r.msg.payload);
        if (args.length == 2) {
            quota(args[0]).set().accept(server.limits(), number(args[1]));
            return NodeRequests.OK;
        }
        if (args.length == 3) {
            int domid = knownDomain(args[0]);
            quota(args[1]);
            server.quotas().setDomainLimit(domid, args[1], number(args[2]));
            return NodeRequests.OK;
        }
        throw XsError.EINVAL.exception();
    }

    private static Quotas.Quota quota(String name) {
        List<Quotas.Quota> table = name.startsWith("soft-") ? Quotas.SOFT : Quotas.HARD;
        Optional<Quotas.Quota> q = Quotas.find(table, name.startsWith("soft-") ? name.substring(5) : name);
        return q.orElseThrow(XsError.EINVAL::exception);
    }

    private int knownDomain(String s) {
        long domid = CNumbers.atoiUnsigned(s);
        if (domid > Integer.MAX_VALUE || !Domids.isValid((int) domid)) {
            throw XsError.EINVAL.exception();
        }
        if (!server.domains().isIntroduced((int) domid)) {
            throw XsError.ENOENT.exception();
        }
        return (int) domid;
    }

    private static int number(String s) {
        long v = CNumbers.strtoulWhole(s, 10);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw XsError.EINVAL.exception();
        }
        return (int) v;
    }

    private static byte[] value(int v) {
        return Payload.nulTerminated(Integer.toString(v));
    }
}
