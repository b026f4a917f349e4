package org.jxenstored.control;

import java.util.OptionalLong;
import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.XsError;

/** {@code mfn <domid>} (oxenstored): the machine frame of the domain's ring page; ENOENT for a domain that is not introduced. */
public final class MfnCommand implements ControlCommand {
    private final DomainView domains;

    public MfnCommand(DomainView domains) {
        this.domains = domains;
    }

    @Override
    public String name() {
        return "mfn";
    }

    @Override
    public String usage() {
        return "<domid>";
    }

    @Override
    public String run(String[] args) {
        if (args.length != 1) {
            throw XsError.EINVAL.exception();
        }
        long domid = CNumbers.atoiUnsigned(args[0]);
        if (domid > Integer.MAX_VALUE) {
            throw XsError.ENOENT.exception();
        }
        if (!domains.introduced((int) domid)) {
            throw XsError.ENOENT.exception();
        }
        OptionalLong mfn = domains.ringMfn((int) domid);
        if (mfn.isEmpty()) {
            return "unknown: no ring frame was given for this domain";
        }
        return Long.toString(mfn.getAsLong());
    }
}
