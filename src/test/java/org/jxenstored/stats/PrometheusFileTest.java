package org.jxenstored.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.FakeConnection;
import org.jxenstored.server.Limits;
import org.jxenstored.server.Server;

/**
 * The Prometheus file: written every interval, replaced atomically (a reader never sees a part of it, however often
 * it looks), parsable, and its temporary file is not a {@code .prom} file node_exporter would read.
 */
class PrometheusFileTest {
    @TempDir
    Path dir;
    private final ExecutorService store = Executors.newSingleThreadExecutor();
    private final Server server = new Server(new Limits());
    private final DaemonStats stats = new DaemonStats(server, "1.0", store);

    @AfterEach
    void stop() {
        store.shutdownNow();
    }

    private void requests(int n) throws Exception {
        store.submit(() -> {
            FakeConnection c = new FakeConnection(0, true, server, "socket");
            server.setRequestStats(stats.recorder());
            server.connect(c);
            for (int i = 0; i < n; i++) {
                server.handler().handle(c, new XsMessage(XsType.WRITE.code, 1, 0,
                        ("/p/" + i + "\0x").getBytes(StandardCharsets.ISO_8859_1)));
            }
        }).get();
    }

    @Test
    void writtenEveryIntervalAndParsable() throws Exception {
        requests(5);
        Path file = dir.resolve("jxenstored.prom");
        try (PrometheusFile p = PrometheusFile.start(stats, file, 1)) {
            waitFor(file);
            Map<String, Double> first = PrometheusText.parse(Files.readString(file));
            assertThat(first).containsEntry("jxenstored_requests_total{type=\"write\"}", 5.0);
            requests(3);
            long deadline = System.nanoTime() + 10_000_000_000L;
            Map<String, Double> later = first;
            while (later.get("jxenstored_requests_total{type=\"write\"}") < 8 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                later = PrometheusText.parse(Files.readString(file));
            }
            assertThat(later).as("rewritten within its interval")
                    .containsEntry("jxenstored_requests_total{type=\"write\"}", 8.0);
            assertThat(p.file()).isEqualTo(file.toAbsolutePath());
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("jxenstored.prom");
        }
    }

    @Test
    void readersNeverSeeAPartialFile() throws Exception {
        requests(50);
        Path file = dir.resolve("x.prom");
        try (PrometheusFile p = PrometheusFile.start(stats, file, 3600)) {
            waitFor(file);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        String text = Files.readString(file);
                        PrometheusText.parse(text);
                        assertThat(text).endsWith("jxenstored_restarts_total 0\n");
                        reads.incrementAndGet();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        return;
                    }
                }
            });
            reader.start();
            for (int i = 0; i < 300; i++) {
                p.write();
            }
            stop.set(true);
            reader.join(10_000);
            assertThat(failure.get()).as("what a reader saw while the file was rewritten 300 times").isNull();
            assertThat(reads.get()).isPositive();
            // a reader that has the file open keeps the old one, whole: the new file was renamed over it
            String before = Files.readString(file);
            try (var open = Files.newInputStream(file)) {
                long inodeBefore = inode(file);
                requests(1);
                p.write();
                assertThat(inode(file)).as("a new file").isNotEqualTo(inodeBefore);
                assertThat(new String(open.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(before);
            }
        }
    }

    @Test
    void aFileThatCannotBeWrittenDoesNotStopTheDaemon() throws Exception {
        Path file = dir.resolve("missing-dir").resolve("x.prom");
        try (PrometheusFile p = PrometheusFile.start(stats, file, 1)) {
            Thread.sleep(300);
            assertThat(file).doesNotExist();
            Files.createDirectories(file.getParent());
            waitFor(file);
            assertThat(PrometheusText.parse(Files.readString(file))).isNotEmpty();
        }
    }

    private static long inode(Path file) throws Exception {
        return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    }

    private static void waitFor(Path file) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (Files.size(file) > 0) {
                    return;
                }
            } catch (NoSuchFileException e) {
                // not yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError(file + " was not written");
    }
}
