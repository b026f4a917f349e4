package org.jxenstored.stats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the statistics in Prometheus' text format to a file every few seconds, for node_exporter's textfile
 * collector (so that Dom0 grows no listening port). Each write goes to a temporary file in the same directory
 * ({@code .FILE.tmp}: node_exporter reads only {@code *.prom}), which is then renamed over the file: a reader sees
 * the old file or the new one, never a part. Runs on a thread of its own ({@code jxenstored-stats}); the snapshot
 * itself is taken on the store thread. A write that fails is logged once, and once more when writing works again.
 */
public final class PrometheusFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusFile.class);

    private final DaemonStats stats;
    private final Path file;
    private final Path tmp;
    private final ScheduledExecutorService timer;
    private boolean failing;

    private PrometheusFile(DaemonStats stats, Path file) {
        this.stats = stats;
        this.file = file.toAbsolutePath();
        this.tmp = this.file.resolveSibling("." + this.file.getFileName() + ".tmp");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jxenstored-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes {@code file} now and then every {@code intervalSeconds} seconds, until closed. */
    public static PrometheusFile start(DaemonStats stats, Path file, int intervalSeconds) {
        PrometheusFile p = new PrometheusFile(stats, file);
        p.timer.scheduleWithFixedDelay(p::writeQuietly, 0, Math.max(1, intervalSeconds), TimeUnit.SECONDS);
        LOG.info("statistics: writing {} every {} s (Prometheus text format)", p.file, Math.max(1, intervalSeconds));
        return p;
    }

    public Path file() {
        return file;
    }

    private void writeQuietly() {
        try {
            write();
            if (failing) {
                failing = false;
                LOG.info("statistics: {} can be written again", file);
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("statistics: cannot write {}: {} (said once; tried again every interval)", file,
                        e.toString());
            }
        }
    }

    /** One write: the current statistics to the temporary file, then renamed over the file. */
    void write() throws IOException {
        byte[] text = StatsFormat.prometheus(stats.recent(0)).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(text);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Stops writing; the file stays (with the last figures) and the temporary file goes. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
            Files.deleteIfExists(tmp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("statistics: removing {}: {}", tmp, e.toString());
        }
    }
}
