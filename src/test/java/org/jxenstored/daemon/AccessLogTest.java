package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient;
import org.junit.jupiter.api.Test;

/** The access log: what it records, its switch, rotation by size and by lines, and reopening after logrotate. */
class AccessLogTest {

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file);
    }

    @Test
    void recordsConnectionsRequestsResultsAndWatchEvents() throws Exception {
        try (TestDaemon d = TestDaemon.start(c -> c.accessLog.enabled = true)) {
            Path file = d.dir().resolve("access.log");
            d.daemon().accessLog().setFile(file); // store thread not needed: no traffic yet
            try (XsTestClient c = XsTestClient.connect(d.socketPath())) {
                c.write("/tool/x", "hello");
                c.read("/tool/nope");
                c.watch("/tool", "tok");
                c.write("/tool/x", "again");
                c.request(6, XsTestClient.nul(""));
                c.control("print", "a marker");
            }
            waitForLine(file, "endconn");
            List<String> log = lines(file);
            String all = String.join("\n", log);
            assertThat(log).allMatch(l -> l.matches(LogFormatTest.ACCESS_LINE), "timestamped");
            assertThat(all)
                    .containsPattern("A\\d+ +d0 +newconn +socket")
                    .containsPattern("A\\d+ +d0 +write +/tool/x hello -> OK")
                    .containsPattern("A\\d+ +d0 +read +/tool/nope -> ENOENT")
                    .containsPattern("A\\d+ +d0 +watch +/tool tok -> OK")
                    .containsPattern("A\\d+ +d0 +watch event +/tool tok")
                    .containsPattern("A\\d+ +d0 +watch event +/tool/x tok")
                    .containsPattern("A\\d+ +d0 +transaction start + -> OK 1")
                    .containsPattern("A\\d+ +d0 +control +print a marker -> OK")
                    .containsPattern("- +- +print +a marker")
                    .containsPattern("A\\d+ +d0 +endconn +socket");
        }
    }

    @Test
    void longArgumentsAreCutAndUnprintableBytesEscaped() throws Exception {
        try (TestDaemon d = TestDaemon.start(c -> c.accessLog.maxChars = 20)) {
            Path file = d.dir().resolve("access.log");
            d.daemon().accessLog().setFile(file);
            try (XsTestClient c = XsTestClient.connect(d.socketPath())) {
                c.write("/a", "0123456789012345678901234567890123456789");
                c.write("/b", "tab\there\\");
            }
            waitForLine(file, "endconn");
            String all = Files.readString(file);
            assertThat(all).contains("write             /a 012345678901234.. -> OK");
            assertThat(all).contains("/b tab\\x09here\\\\ -> OK");
        }
    }

    @Test
    void readOpsCanBeLeftOut() throws Exception {
        try (TestDaemon d = TestDaemon.start(c -> c.accessLog.readOps = false)) {
            Path file = d.dir().resolve("access.log");
            d.daemon().accessLog().setFile(file);
            try (XsTestClient c = XsTestClient.connect(d.socketPath())) {
                c.write("/a", "1");
                c.read("/a");
                c.read("/missing");
            }
            waitForLine(file, "endconn");
            String all = Files.readString(file);
            assertThat(all).contains("write").doesNotContain("read ");
        }
    }

    @Test
    void rotatesBySize() throws Exception {
        try (TestDaemon d = TestDaemon.start(c -> {
            c.accessLog.maxSize = 4096;
            c.accessLog.files = 3;
        })) {
            Path file = d.dir().resolve("access.log");
            d.daemon().accessLog().setFile(file);
            try (XsTestClient c = XsTestClient.connect(d.socketPath())) {
                for (int i = 0; i < 400; i++) {
                    c.write("/rotate/key" + i, "value-" + i);
                }
            }
            waitForLine(file, "endconn");
            assertThat(file).exists();
            assertThat(Path.of(file + ".1")).exists();
            assertThat(Path.of(file + ".2")).exists();
            assertThat(Path.of(file + ".3")).exists();
            assertThat(Path.of(file + ".4")).doesNotExist();
            for (Path p : List.of(file, Path.of(file + ".1"), Path.of(file + ".2"), Path.of(file + ".3"))) {
                assertThat(Files.size(p)).as(p.toString()).isLessThanOrEqualTo(4096);
            }
            assertThat(Files.readString(file)).contains("/rotate/key399 value-399");
        }
    }

    @Test
    void rotatesByLineCountWhenAsked() throws Exception {
        try (TestDaemon d = TestDaemon.start(c -> {
            c.accessLog.maxLines = 10;
            c.accessLog.maxSize = 0;
        })) {
            Path file = d.dir().resolve("access.log");
            d.daemon().accessLog().setFile(file);
            try (XsTestClient c = XsTestClient.connect(d.socketPath())) {
                for (int i = 0; i < 25; i++) {
                    c.write("/k" + i, "v");
                }
            }
            waitForLine(file, "endconn");
            assertThat(lines(Path.of(file + ".1"))).hasSize(10);
            assertThat(lines(Path.of(file + ".2"))).hasSize(10);
        }
    }

    @Test
    void reopenWritesToANewFileAfterLogrotateMovedIt() throws Exception {
        try (TestDaemon d = TestDaemon.start()) {
            Path file = d.dir().resolve("access.log");
            d.daemon().accessLog().setFile(file);
            try (XsTestClient c = XsTestClient.connect(d.socketPath())) {
                c.write("/before", "1");
                Path moved = d.dir().resolve("access.log.old");
                Files.move(file, moved);
                d.daemon().reopenLogs();
                // reopenLogs is queued to the store thread, which may serve socket input first: wait until it
                // has reopened (the new file exists), then what is served goes to the new file
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.exists(file) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                c.write("/after", "2");
                assertThat(Files.readString(moved)).contains("/before 1").doesNotContain("/after");
            }
            waitForLine(file, "endconn");
            assertThat(Files.readString(file)).contains("/after 2").doesNotContain("/before");
        }
    }

    /** The access log holds guests' values: its new files are 0600, whatever the umask; existing files keep theirs. */
    @Test
    void newFilesAreCreatedReadableAndWritableByTheOwnerOnly() throws Exception {
        try (TestDaemon d = TestDaemon.start(c -> {
            c.accessLog.maxSize = 4096;
            c.accessLog.files = 2;
        })) {
            Path file = d.dir().resolve("logs/access.log"); // a missing directory is created
            assertThat(d.daemon().accessLog().setFile(file)).isNull();
            assertThat(mode(file)).isEqualTo("rw-------");
            try (XsTestClient c = XsTestClient.connect(d.socketPath())) {
                for (int i = 0; i < 200; i++) { // rotates: FILE.1, FILE.2 and FILE are new files
                    c.write("/rotate/key" + i, "value-" + i);
                }
                c.write("/moved", "1");
                Path moved = d.dir().resolve("logs/access.log.old");
                Files.move(file, moved); // logrotate, then SIGHUP
                d.daemon().reopenLogs();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.exists(file) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
            waitForLine(file, "endconn");
            for (Path p : List.of(file, Path.of(file + ".1"), Path.of(file + ".2"), d.dir().resolve(
                    "logs/access.log.old"))) {
                assertThat(mode(p)).as(p.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void anExistingFileKeepsItsMode() throws Exception {
        try (TestDaemon d = TestDaemon.start()) {
            Path existing = d.dir().resolve("existing.log");
            Files.writeString(existing, "");
            Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r-----"));
            assertThat(d.daemon().accessLog().setFile(existing)).isNull();
            assertThat(mode(existing)).isEqualTo("rw-r-----");
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void offByDefaultAndCostsNothing() throws Exception {
        try (TestDaemon d = TestDaemon.start()) {
            assertThat(d.daemon().accessLog().enabled()).isFalse();
            assertThat(d.daemon().server().observer()).isSameAs(org.jxenstored.server.TrafficObserver.NONE);
        }
    }

    static void waitForLine(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(text + " never appeared in " + file);
    }
}
