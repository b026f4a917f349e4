package org.jxenstored.server;

import org.jxenstored.protocol.XsError;
import org.jxenstored.store.Domids;
import org.jxenstored.store.Perms;

/**
 * The permission entries of SET_PERMS, judged as C xenstored 4.22 judges them ({@code do_set_perms},
 * {@code domain_alloc_permrefs}), in its order:
 * <ol>
 * <li>more entries than the caller's {@code node-permissions} quota: ENOSPC (before they are parsed);</li>
 * <li>a malformed entry: EINVAL ({@link Perms#parse});</li>
 * <li>each entry's domain: one the daemon knows or the hypervisor reports is a domain (and from then on known); an
 * entry naming anything else (a domain that does not exist, a reserved id, 65536, -1) is kept but ignored, so that
 * it grants nothing, now or to a domain created later with that id; DOMID_ANY means every domain, unless the
 * caller's domain had the DOMID_ANY feature switched off (SET_FEATURE), then it is ignored too;</li>
 * <li>an ignored owner: ENOENT. (DOMID_ANY may be the owner; for a guest that is an owner change: EPERM.)</li>
 * </ol>
 * C 4.22 dereferences a missing domain when Dom0's socket names DOMID_ANY and crashes; here the socket has all
 * features, as C's {@code feature_available} says for a connection without a domain.
 */
final class PermissionArguments {
    private final Server server;

    PermissionArguments(Server server) {
        this.server = server;
    }

    Perms parse(Connection conn, String[] entries) {
        QuotaPolicy quotas = server.quotas();
        if (quotas.applies(conn)) {
            quotas.checkPermissions(conn, entries.length);
        }
        Perms perms = Perms.parse(entries).ignoring(domid -> !means(conn, domid));
        if (perms.ignored(0)) {
            throw XsError.ENOENT.exception();
        }
        return perms;
    }

    /** Whether an entry naming {@code domid}, set by {@code conn}, means a domain. */
    private boolean means(Connection conn, int domid) {
        DomainRegistry domains = server.domains();
        if (domid == Domids.ANY) {
            return domains.hasFeature(conn.domid(), DomainRegistry.FEATURE_DOMID_ANY);
        }
        if (domains.isIntroduced(domid)) {
            return true;
        }
        if (domains.mayExist(domid)) {
            server.quotas().adopt(domid); // C allocates its struct domain here
            return true;
        }
        return false;
    }
}
