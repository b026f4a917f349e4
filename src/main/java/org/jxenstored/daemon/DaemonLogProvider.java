package org.jxenstored.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The daemon's SLF4J binding (chosen by {@link LogSetup#prepare} through SLF4J's {@code slf4j.provider}): logback,
 * as logback's own provider sets it up, except that the shipped configurations are applied directly
 * ({@link ShippedLogConfig}). Logback's provider always goes through its auto-configuration, whose string
 * concatenations (compiled to invokedynamic) spin method-handle classes no class-data archive holds: 20-25 ms of
 * every start, i.e. of the outage of a live update or a crash restart (docs/performance.md, "Start-up"). Any
 * other configuration, an operator's edited copy included, goes through logback's auto-configuration (Joran).
 */
public final class DaemonLogProvider implements SLF4JServiceProvider {
    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    @Override
    public void initialize() {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        String shipped = ShippedLogConfig.shippedName(System.getProperty(LogSetup.CONFIGURATION));
        if (shipped != null) {
            ShippedLogConfig.apply(context, shipped);
        } else {
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                System.err.println("jxenstored: cannot configure logging: " + e);
            }
            StatusPrinter.printInCaseOfErrorsOrWarnings(context);
        }
        context.start();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
