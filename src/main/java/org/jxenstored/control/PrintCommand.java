package org.jxenstored.control;

import java.util.function.Consumer;
import org.jxenstored.protocol.XsError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code print <text>}: writes the text to the daemon log and, when it is on, the access log (tests and operators
 * use it as a marker).
 */
public final class PrintCommand implements ControlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(PrintCommand.class);

    private final Consumer<String> alsoTo;

    public PrintCommand() {
        this(text -> { });
    }

    /** @param alsoTo another log the text goes to (the access log) */
    public PrintCommand(Consumer<String> alsoTo) {
        this.alsoTo = alsoTo;
    }

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
        alsoTo.accept(args[0]);
        return "OK";
    }
}
