package org.jxenstored.domain;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jxenstored.xen.XenPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Domains released while Xen still ran them (libxl releases a domain before a soft reset; a toolstack may release one
 * before destroying it). RELEASE already took out of the store everything such a domain had left there, as C
 * xenstored does, but until Xen reports it dead its id still passes for an existing domain, so Dom0 can still name
 * it in permissions. Once Xen reports it dead, whatever names it is removed again, before a new domain can be given
 * the id. INTRODUCE of the id ends the wait: the domain is introduced again (soft reset), or Xen already runs a new
 * domain under the id; without a per-incarnation id from Xen the two cannot be told apart, and what Dom0 prepared
 * under the id is then kept. Store thread only.
 */
final class ReleasedDomains {
    private static final Logger LOG = LoggerFactory.getLogger(ReleasedDomains.class);

    private final Set<Integer> awaitingDeath = new TreeSet<>();

    /** Whether Xen reports no such domain, or one that is dying: either way that domain is over. */
    static boolean dead(Optional<XenPlatform.DomainInfo> info) {
        return info.isEmpty() || info.get().gone();
    }

    /** Awaits the death of {@code domid}, just released, unless Xen already reports it dead. */
    void released(XenPlatform platform, int domid) {
        try {
            if (dead(platform.domainInfo(domid))) {
                return;
            }
        } catch (IOException e) {
            LOG.warn("cannot read the state of released domain {}: {}", domid, e.getMessage());
        }
        awaitingDeath.add(domid);
    }

    /** {@code domid} is introduced again: its death is the domain layer's to see. */
    void introduced(int domid) {
        awaitingDeath.remove(domid);
    }

    /** The awaited domains Xen now reports dead; they are no longer awaited. */
    List<Integer> takeDead(XenPlatform platform) {
        List<Integer> dead = new ArrayList<>();
        for (int domid : awaitingDeath) {
            try {
                if (dead(platform.domainInfo(domid))) {
                    dead.add(domid);
                }
            } catch (IOException e) {
                LOG.warn("cannot read the state of released domain {}: {}", domid, e.getMessage());
            }
        }
        awaitingDeath.removeAll(dead);
        return dead;
    }
}
