package org.jxenstored.server;

import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;

/**
 * GET_QUOTA and SET_QUOTA (Xen 4.22), privileged only, answered as C xenstored 4.22 answers them:
 * <ul>
 * <li>{@code GET_QUOTA} without arguments: the quota names, blank-separated, in C's order, a soft value after its
 * hard one ({@code nodes watches outstanding memory soft-memory transactions transaction-nodes node-permissions
 * path-max node-size});</li>
 * <li>{@code [<domid>|]<quota>|} and {@code [<domid>|]<quota>|<value>|}: the global value (which domains met later
 * start with) or one domain's. The domid is read as C's {@code parse_domid} reads it (a whole decimal number up to
 * 65535, else EINVAL); a domid that is no domain is ENOENT. Names are C's, {@code soft-} selects the soft value,
 * {@code permissions} (docs/misc/xenstore.txt) is accepted for {@code node-permissions}; an unknown name, or a soft
 * value of a quota that has none, is EINVAL;</li>
 * <li>the value is read with {@code atoi}, as C does ({@code abc} is 0); 0 means no limit; {@code -1} (C's
 * "disabled" marker {@code UINT_MAX}) is EINVAL.</li>
 * </ul>
 */
final class QuotaRequests {
    private static final long DISABLED = 0xFFFFFFFFL;

    private final Server server;

    QuotaRequests(Server server) {
        this.server = server;
    }

    byte[] get(Request r) {
        String[] args = Payload.terminatedStrings(r.msg.payload);
        if (args.length == 0) {
            return Payload.nulTerminated(names());
        }
        if (args.length == 1) {
            return value(server.limits().get(named(args[0])));
        }
        if (args.length == 2) {
            int domid = existingDomain(args[0]);
            return value(server.quotas().limit(domid, named(args[1])));
        }
        throw XsError.EINVAL.exception();
    }

    byte[] set(Request r) {
        String[] args = Payload.terminatedStrings(r.msg.payload);
        if (args.length == 2) {
            server.limits().set(named(args[0]), number(args[1]));
            server.persistence().domainStateChanged();
            return NodeRequests.OK;
        }
        if (args.length == 3) {
            int domid = existingDomain(args[0]);
            server.quotas().setDomainLimit(domid, named(args[1]), number(args[2]));
            server.persistence().domainStateChanged();
            return NodeRequests.OK;
        }
        throw XsError.EINVAL.exception();
    }

    /** The names GET_QUOTA lists: each quota, then its soft value where it has one. */
    static String names() {
        StringBuilder sb = new StringBuilder();
        for (QuotaKind q : QuotaKind.HARD) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(q.cName);
            QuotaKind.soft(q.cName).ifPresent(s -> sb.append(' ').append(s.wireName()));
        }
        return sb.toString();
    }

    /** A quota by its wire name; EINVAL for an unknown one. */
    private static QuotaKind named(String name) {
        return QuotaKind.byWireName(name).orElseThrow(XsError.EINVAL::exception);
    }

    private int existingDomain(String s) {
        return DomainRequests.existingDomain(server, s);
    }

    /** C's {@code atoi} into an {@code unsigned int}; values above 2^31-1 are kept as 2^31-1 (no limit anyway). */
    private static int number(String s) {
        long v = CNumbers.atoiUnsigned(s);
        if (v == DISABLED) {
            throw XsError.EINVAL.exception();
        }
        return (int) Math.min(v, Integer.MAX_VALUE);
    }

    private static byte[] value(int v) {
        return Payload.nulTerminated(Integer.toString(v));
    }
}
