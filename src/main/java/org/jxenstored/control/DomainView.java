package org.jxenstored.control;

import java.util.OptionalLong;

/**
 * What the control commands need to know about domains. The domain layer supplies its own; until it exists the
 * daemon serves the socket only, where Dom0 is the one introduced domain.
 */
public interface DomainView {
    /** Without a hypervisor: only Dom0, whose ring page comes from xsd_kva (no mfn: 0, as oxenstored reports). */
    DomainView SOCKET_ONLY = new DomainView() {
        @Override
        public boolean introduced(int domid) {
            return domid == 0;
        }

        @Override
        public OptionalLong ringMfn(int domid) {
            return domid == 0 ? OptionalLong.of(0) : OptionalLong.empty();
        }
    };

    boolean introduced(int domid);

    /** The machine frame of the domain's ring page, empty when the domain is not introduced. */
    OptionalLong ringMfn(int domid);
}
