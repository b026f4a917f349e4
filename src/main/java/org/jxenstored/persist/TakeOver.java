package org.jxenstored.persist;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jxenstored.domain.DomainState;
import org.jxenstored.domain.Domains;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.Server;
import org.jxenstored.server.SpecialNodes;
import org.jxenstored.transport.ring.RingConnection;
import org.jxenstored.transport.ring.RingState;
import org.jxenstored.watch.Watch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a read state ({@link StateModel}) to a new daemon: the store, quotas and special nodes, then every domain
 * taken over with its ring connection's watches, transactions (doomed) and traffic. Shared by the crash restart
 * ({@link Recovery}) and the live-update successor ({@link LiveUpdateState}). Store thread.
 */
final class TakeOver {
    private static final Logger LOG = LoggerFactory.getLogger(TakeOver.class);

    final List<RingConnection> restored = new ArrayList<>();
    final List<Watch> watches = new ArrayList<>();
    /** Ring requests found being served at a crash (domid to input position), to note as suspects. */
    final Map<Integer, Integer> suspects = new HashMap<>();

    private TakeOver() {
    }

    /** The tree with its stamps, the quotas, the special nodes' permissions. */
    static void restoreStore(StateModel m, Server server) {
        server.restoreStore(m.tree.root(), Math.max(m.lastStamp, m.tree.lastStamp()));
        if (m.globalQuotas != null) {
            m.globalQuotas.forEach((name, v) -> QuotaKind.byWireName(name).ifPresent(k -> server.limits().set(k, v)));
        }
        m.accounts.forEach((domid, values) -> {
            server.quotas().adopt(domid);
            values.forEach((name, v) -> QuotaKind.byWireName(name)
                    .ifPresent(k -> server.quotas().setDomainLimit(domid, k, v)));
        });
        if (m.introducePerms != null) {
            server.specialNodes().setPerms(SpecialNodes.INTRODUCE_DOMAIN, m.introducePerms);
        }
        if (m.releasePerms != null) {
            server.specialNodes().setPerms(SpecialNodes.RELEASE_DOMAIN, m.releasePerms);
        }
    }

    /** Takes every domain of {@code m} over, with its ring connection's state. */
    static TakeOver rings(StateModel m, Server server, Domains domains) {
        TakeOver t = new TakeOver();
        for (DomainState s : m.domains.values()) {
            RingConnection rc = domains.restore(s);
            StateModel.Conn cs = m.conns.get(s.domid());
            if (rc == null || cs == null) {
                continue;
            }
            for (StateModel.Watch w : cs.watches.values()) {
                t.watches.add(server.restoreWatch(rc, w.path(), w.token(), w.depth(), w.relativePrefix()));
            }
            for (int id : cs.transactions) {
                server.restoreTransaction(rc, id);
            }
            RingState ring = cs.ring == null || cs.ringIndexesKnown ? cs.ring
                    : new RingState(rc.page().reqCons(), cs.ring.inData(), rc.page().rspProd(), cs.ring.outData(),
                            cs.ring.credit(), cs.ring.outPartial());
            if (ring != null && !rc.restoreState(ring)) {
                continue;
            }
            if (cs.quarantine()) {
                rc.quarantine(cs.serving);
                LOG.warn("domain {}: the request at input position {} was being served at the last two crashes: it"
                        + " will be refused with EIO", s.domid(), Integer.toUnsignedString(cs.serving));
            } else if (cs.serving != null) {
                t.suspects.put(s.domid(), cs.serving);
                LOG.warn("domain {}: the request at input position {} was being served when the daemon died; it is"
                        + " served again, and refused if that happens again", s.domid(),
                        Integer.toUnsignedString(cs.serving));
            }
            t.restored.add(rc);
        }
        return t;
    }
}
