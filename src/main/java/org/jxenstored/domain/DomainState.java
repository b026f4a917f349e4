package org.jxenstored.domain;

/**
 * What a restart needs to know of an introduced domain to take it over again: how to reach its ring (frame, the
 * guest's event channel port) and what was set on it.
 *
 * @param gfn the ring's frame from INTRODUCE
 * @param remotePort the guest's end of its xenstore event channel (rebound after a restart: Xen left it unbound)
 * @param target SET_TARGET's domain, or {@link org.jxenstored.store.Caller#NO_TARGET}
 * @param shutdownReported whether @releaseDomain already fired for its current shutdown
 */
public record DomainState(int domid, long gfn, int remotePort, int target, int features, boolean shutdownReported) {
    /** A frame or port the predecessor did not say (C xenstored's live-update stream carries neither). */
    public static final long UNKNOWN = -1;
}
