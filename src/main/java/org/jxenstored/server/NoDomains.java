package org.jxenstored.server;

import org.jxenstored.protocol.XsError;
import org.jxenstored.store.Domids;

/** The registry of a server without a domain layer (unit tests): only Dom0 exists. */
final class NoDomains implements DomainRegistry {
    @Override
    public void introduce(int domid, long gfn, int port) {
        throw XsError.ENOSYS.exception();
    }

    @Override
    public void release(int domid) {
        throw XsError.ENOENT.exception();
    }

    @Override
    public void resume(int domid) {
        throw XsError.ENOENT.exception();
    }

    @Override
    public void setTarget(int domid, int target) {
        throw XsError.ENOENT.exception();
    }

    @Override
    public boolean isIntroduced(int domid) {
        return domid == 0;
    }

    @Override
    public int features(int domid) {
        throw XsError.ENOENT.exception();
    }

    @Override
    public void setFeatures(int domid, int features) {
        throw XsError.ENOENT.exception();
    }

    @Override
    public boolean mayExist(int domid) {
        return Domids.isValid(domid);
    }
}
