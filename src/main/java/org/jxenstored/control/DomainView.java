package org.jxenstored.control;

import java.util.OptionalLong;
import org.jxenstored.server.Server;

/** What the control commands need to know about domains: which are introduced, and their ring page frames. */
public interface DomainView {
    boolean introduced(int domid);

    /**
     * The machine frame of the domain's ring page: empty when the domain is not introduced or its frame is not
     * known. Dom0's page comes from xsd_kva and has none: 0, as oxenstored reports.
     */
    OptionalLong ringMfn(int domid);

    /**
     * The server's domain registry: introduced domains and their ring frames as INTRODUCE gave them.
     */
    static DomainView of(Server server) {
        return new DomainView() {
            @Override
            public boolean introduced(int domid) {
                return server.domains().isIntroduced(domid);
            }

            @Override
            public OptionalLong ringMfn(int domid) {
                long frame = server.domains().ringFrame(domid);
                return domid == 0 ? OptionalLong.of(0) : frame < 0 ? OptionalLong.empty() : OptionalLong.of(frame);
            }
        };
    }
}
