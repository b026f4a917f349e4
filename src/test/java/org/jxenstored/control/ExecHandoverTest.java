package org.jxenstored.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxenstored.server.Connection;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient;

/**
 * The real hand-over in a running daemon, where it fails: the daemon stays in charge with its sockets working
 * (descriptors and signal mask restored, the dump removed) and {@code -s} gets C's text.
 */
class ExecHandoverTest {
    private TestDaemon daemon;
    private XsTestClient c;
    private final List<Integer> versions = new ArrayList<>();

    @BeforeEach
    void start() {
        daemon = TestDaemon.start();
        c = XsTestClient.connect(daemon.socketPath());
        c.write("/kept", "yes");
    }

    @AfterEach
    void stop() {
        c.close();
        daemon.close();
    }

    private void handOverWith(Path stateFile, StateDump dump) {
        daemon.daemon().liveUpdate().setHandover(new ExecHandover(stateFile, dump, this::fds, System.getenv()));
    }

    /** As the daemon does: the listening socket and the socket connections. */
    private InheritedFds.Fds fds() {
        IntStream clients = daemon.daemon().server().connections().stream().mapToInt(Connection::inheritableFd)
                .filter(fd -> fd >= 0);
        return new InheritedFds.Fds(IntStream.concat(IntStream.of(daemon.daemon().socket().listeningFd()), clients)
                .toArray(), new int[0]);
    }

    private StateDump writing(String content) {
        return (file, version, conn, request, toC) -> {
            versions.add(version);
            Files.writeString(file, content);
        };
    }

    private String update(Path binary, String... start) {
        assertThat(c.control("live-update", "-f", binary.toString()).value()).isEqualTo("OK");
        String[] s = new String[start.length + 2];
        s[0] = "live-update";
        s[1] = "-s";
        System.arraycopy(start, 0, s, 2, start.length);
        return c.control(s).value();
    }

    private void assertStillServing() {
        assertThat(c.read("/kept").value()).isEqualTo("yes");
        try (XsTestClient fresh = XsTestClient.connect(daemon.socketPath())) {
            assertThat(fresh.read("/kept").value()).isEqualTo("yes");
        }
        assertThat(daemon.daemon().liveUpdate().pending()).isFalse();
    }

    @Test
    void aFailedExecLeavesTheDaemonServing() throws IOException {
        Path state = daemon.dir().resolve("state_dump");
        handOverWith(state, writing("state"));
        Path notABinary = Files.createDirectory(daemon.dir().resolve("dir")); // stat says executable; exec fails
        assertThat(update(notABinary, "-t", "5", "-v", "2")).isEqualTo("Error activating new binary.");
        assertThat(versions).containsExactly(2);
        assertThat(state).doesNotExist();
        assertStillServing();
    }

    @Test
    void aStateFileThatCannotBeCreatedIsCsOpenError() {
        Path state = daemon.dir().resolve("missing-dir/state_dump");
        handOverWith(state, writing("state"));
        assertThat(update(Path.of("/bin/true"))).isEqualTo("Dump state open error");
        assertThat(versions).isEmpty();
        assertStillServing();
    }

    @Test
    void aStateThatCannotBeWrittenIsCsWriteError() {
        Path state = daemon.dir().resolve("state_dump");
        handOverWith(state, (file, version, conn, request, toC) -> {
            throw new IOException("disk full");
        });
        assertThat(update(Path.of("/bin/true"))).isEqualTo("Dump write error");
        assertThat(state).doesNotExist();
        assertStillServing();
    }

    @Test
    void theDumpIsOwnerOnlyAndWrittenForTheAskingConnection() {
        Path state = daemon.dir().resolve("state_dump");
        List<String> seen = new ArrayList<>();
        handOverWith(state, (file, version, conn, request, toC) -> {
            seen.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            seen.add(conn.transport() + " " + new String(request.payload, java.nio.charset.StandardCharsets.US_ASCII)
                    .replace('\0', ' ').strip());
            throw new IOException("stop here");
        });
        update(Path.of("/bin/true"), "-t", "3");
        assertThat(seen).containsExactly("rw-------", "socket live-update -s -t 3");
    }

    /**
     * Rollback to C xenstored (an ELF binary) with a version 1 stream its 4.17 reader cannot restore: here no ring
     * of Dom0 (socket-only), so 4.17 would have no node database and die after exec. Refused before exec, with the
     * rule named, and the daemon carries on; a jxenstored successor (a script) gets the same state.
     */
    @Test
    void aStateC417CannotRestoreIsRefusedBeforeExecToC() throws IOException {
        Path state = daemon.dir().resolve("state_dump");
        List<Boolean> forC = new ArrayList<>();
        handOverWith(state, (file, version, conn, request, toC) -> {
            forC.add(toC);
            org.jxenstored.migration.MigrationWriter w = org.jxenstored.migration.MigrationWriter.to(file,
                    org.jxenstored.migration.MigrationWriter.Options.v1());
            w.write(new org.jxenstored.migration.GlobalData(-1, -1));
            w.write(org.jxenstored.migration.NodeData.committed("/", List.of(new org.jxenstored.migration.NodePerm(org.jxenstored.migration.NodePerm.Access.NONE, false, 0)), new byte[0]));
            w.end();
            w.close();
        });
        assertThat(update(Path.of("/bin/true"))).isEqualTo(
                "State not restorable by C xenstored 4.17: the master domain's ring connection must precede the nodes");
        assertThat(forC).containsExactly(true);
        assertThat(state).doesNotExist();
        assertStillServing();
        Path wrapper = Files.writeString(daemon.dir().resolve("successor.sh"),
                "#!/bin/sh\nexec /usr/lib/xen-4.17/bin/xenstored \"$@\"\n");
        Path launcher = Files.writeString(daemon.dir().resolve("launcher.sh"),
                "#!/bin/sh\nexec /usr/sbin/jxenstored \"$@\"\n");
        assertThat(ExecHandover.successorIsC(Path.of("/bin/true"))).as("an executable").isTrue();
        assertThat(ExecHandover.successorIsC(wrapper)).as("a wrapper of C").isTrue();
        assertThat(ExecHandover.successorIsC(launcher)).as("a script naming jxenstored").isFalse();
        assertThat(ExecHandover.successorIsC(Path.of("scripts/jxenstored").toAbsolutePath())).isFalse();
    }
}
