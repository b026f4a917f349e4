package org.jxenstored.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jxenstored.daemon.Daemon;
import org.jxenstored.daemon.DaemonConfig;

/**
 * A jxenstored started in this JVM on a private socket in a temporary directory, for tests that talk to it
 * through its real Unix socket. Close it to stop the daemon and remove the directory.
 */
public final class TestDaemon implements AutoCloseable {
    private final Path dir;
    private final Daemon daemon;
    private final DaemonConfig config;

    private TestDaemon(Path dir, DaemonConfig config) {
        this.dir = dir;
        this.config = config;
        this.daemon = new Daemon(config);
    }

    public static TestDaemon start() {
        return start(c -> { });
    }

    /** Starts a daemon after letting {@code configure} adjust its configuration (limits, ...). */
    public static TestDaemon start(Consumer<DaemonConfig> configure) {
        try {
            // Unix socket paths are limited to 108 bytes: keep the directory short.
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "jxs");
            DaemonConfig config = new DaemonConfig();
            config.socketPath = dir.resolve("socket");
            configure.accept(config);
            TestDaemon d = new TestDaemon(dir, config);
            d.daemon.start();
            return d;
        } catch (IOException | org.jxenstored.daemon.StartRefused e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path socketPath() {
        return config.socketPath;
    }

    public Path dir() {
        return dir;
    }

    public Daemon daemon() {
        return daemon;
    }

    @Override
    public void close() {
        daemon.stop();
        try (var files = Files.walk(dir)) { // deepest first: logs/ and what is in it, then the directory
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort: a temporary directory
        }
    }
}
