package org.jxenstored.control;

import org.jxenstored.protocol.XsError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code compact} (oxenstored): a full garbage collection, which also gives free heap back to the system. */
public final class CompactCommand implements ControlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(CompactCommand.class);

    @Override
    public String name() {
        return "compact";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public String run(String[] args) {
        if (args.length != 0) {
            throw XsError.EINVAL.exception();
        }
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        LOG.info("compact: heap used {} -> {} bytes, committed {} bytes", before, after, rt.totalMemory());
        return "Compacted";
    }
}
