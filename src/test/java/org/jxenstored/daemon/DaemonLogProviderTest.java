package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's SLF4J binding: the shipped configurations built directly, any other one read by logback (Joran). */
class DaemonLogProviderTest {
    @TempDir
    Path dir;
    private final String saved = System.getProperty(LogSetup.CONFIGURATION);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(LogSetup.CONFIGURATION);
        } else {
            System.setProperty(LogSetup.CONFIGURATION, saved);
        }
    }

    private LoggerContext initialized(String configuration) {
        System.setProperty(LogSetup.CONFIGURATION, configuration);
        DaemonLogProvider p = new DaemonLogProvider();
        p.initialize();
        return (LoggerContext) p.getLoggerFactory();
    }

    @Test
    void theShippedConfigurationIsBuiltDirectly() {
        LoggerContext ctx = initialized(ShippedLogConfig.STDERR_CONFIG);
        try {
            Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("STDERR")).isNotNull();
            assertThat(ctx.getLogger("org.jxenstored.access").getLevel().levelStr).isEqualTo("OFF");
            assertThat(ctx.isStarted()).isTrue();
        } finally {
            ctx.stop();
        }
    }

    @Test
    void anEditedConfigurationIsReadByLogback() throws Exception {
        Path edited = dir.resolve("logback.xml");
        Files.writeString(edited, "<configuration>\n"
                + "  <appender name=\"EDITED\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
                + "    <encoder><pattern>%msg%n</pattern></encoder>\n"
                + "  </appender>\n"
                + "  <root level=\"WARN\"><appender-ref ref=\"EDITED\"/></root>\n"
                + "</configuration>\n");
        LoggerContext ctx = initialized(edited.toString());
        try {
            Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("EDITED")).isNotNull();
            assertThat(root.getAppender("STDERR")).isNull();
            assertThat(root.getLevel().levelStr).isEqualTo("WARN");
        } finally {
            ctx.stop();
        }
    }
}
