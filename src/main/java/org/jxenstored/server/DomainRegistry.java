package org.jxenstored.server;

/**
 * The domains the daemon knows, as the domain requests need them. The domain layer implements it; every method runs
 * on the store thread and reports failures as {@link org.jxenstored.protocol.XsException}s.
 */
public interface DomainRegistry {
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
}
