package org.jxenstored.server;

/**
 * The domains the daemon knows, as the domain requests need them. The domain layer implements it; every method runs
 * on the store thread and reports failures as {@link org.jxenstored.protocol.XsException}s.
 */
public interface DomainRegistry {
    /** {@code XENSTORE_SERVER_FEATURE_DOMID_ANY}: the domain may use DOMID_ANY in permissions (Xen 4.22). */
    int FEATURE_DOMID_ANY = 8;

    /** INTRODUCE: starts serving {@code domid}'s ring (or re-binds its event channel if it is known). */
    void introduce(int domid, long gfn, int port);

    /**
     * RELEASE: stops serving {@code domid}, removes what it left in the store as its death would (its nodes, its id
     * in permissions, its accounting), and fires @releaseDomain. ENOENT if not introduced.
     */
    void release(int domid);

    /** RESUME: re-arms @releaseDomain for a domain that had shut down. ENOENT if not introduced. */
    void resume(int domid);

    /** SET_TARGET: {@code domid} (a device model) acts with {@code target}'s rights. ENOENT unless both introduced. */
    void setTarget(int domid, int target);

    boolean isIntroduced(int domid);

    /** The server features of a domain's ring (GET_FEATURE). ENOENT for an unknown domain. */
    int features(int domid);

    /** SET_FEATURE: before INTRODUCE only (EBUSY after); unknown bits EINVAL. */
    void setFeatures(int domid, int features);

    /** The guest frame of the domain's ring page as INTRODUCE gave it; -1 when not introduced or unknown. */
    default long ringFrame(int domid) {
        return -1;
    }

    /** Whether permissions may name {@code domid} (C asks the hypervisor whether the domain exists). */
    boolean mayExist(int domid);

    /**
     * Whether {@code domid}'s connections have a server feature; a domain the registry does not know (Dom0's
     * socket without a domain layer) has them all, as C's {@code feature_available} says for a connection without
     * a domain.
     */
    default boolean hasFeature(int domid, int feature) {
        try {
            return (features(domid) & feature) != 0;
        } catch (org.jxenstored.protocol.XsException e) {
            return true;
        }
    }
}
