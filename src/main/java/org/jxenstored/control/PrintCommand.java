package org.jxenstored.control;

import org.jxenstored.protocol.XsError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code print <text>}: writes the text to the daemon log (tests and operators use it as a marker). */
public final class PrintCommand implements ControlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(PrintCommand.class);

    @Override
    public String name() {
        return "print";
    }

    @Override
    public String usage() {
        return "<string>";
    }

    @Override
    public String run(String[] args) {
        if (args.length != 1) {
            throw XsError.EINVAL.exception();
        }
        LOG.info("control print: {}", args[0]);
        return "OK";
    }
}
