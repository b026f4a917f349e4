package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jxenstored.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a starting daemon takes (the socket's lock, the pid file) and what a stopping one gives back: only its own
 * socket and pid file, never another daemon's.
 */
class OwnershipTest {
    private static final long ME = ProcessHandle.current().pid();
    private Path dir;
    private Path socket;
    private Path pidFile;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxso");
        socket = dir.resolve("socket");
        pidFile = dir.resolve("run/xenstored.pid");
    }

    @AfterEach
    void tearDown() throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aPidFileLeftByADeadProcessIsTakenOverAndRemovedAtRelease() throws Exception {
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, "99999\n");
        Ownership o = Ownership.claim(socket, pidFile);
        assertThat(Files.readString(pidFile)).as("emptied until ready").isEmpty();
        assertThat(Files.readString(Ownership.lockPathFor(socket))).isEqualTo(ME + "\n");
        o.writePid(ME);
        assertThat(Files.readString(pidFile)).isEqualTo(ME + "\n");
        assertThat(o.release()).isEmpty();
        assertThat(pidFile).doesNotExist();
        assertThat(Ownership.lockPathFor(socket)).doesNotExist();
    }

    @Test
    void aPidFileLockedByAnotherProcessRefusesTheStartAndIsLeftAlone() throws Exception {
        Files.createDirectories(pidFile.getParent());
        // what C xenstored does with its pid file: write the pid, lockf(F_TLOCK)
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl, os, sys, time\n"
                + "f = open(sys.argv[1], 'w'); f.write('%d\\n' % os.getpid()); f.flush()\n"
                + "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print('locked', flush=True); time.sleep(60)\n",
                pidFile.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(r.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> Ownership.claim(socket, pidFile)).isInstanceOf(StartRefused.class)
                    .hasMessage("the pid file " + pidFile + " is locked by process " + holder.pid() + " (python3), a "
                            + "daemon that is running; not starting another");
            assertThat(Files.readString(pidFile)).isEqualTo(holder.pid() + "\n");
            assertThat(Ownership.lockPathFor(socket)).as("the socket's lock given back").doesNotExist();
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        // the holder died: its pid file no longer blocks anybody
        Ownership o = Ownership.claim(socket, pidFile);
        o.release();
    }

    @Test
    void aSocketThatAnswersRefusesTheStartBeforeThePidFileIsTouched() throws Exception {
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, "not mine\n");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> Ownership.claim(socket, pidFile)).isInstanceOf(StartRefused.class)
                    .hasMessageStartingWith(socket + " is served by process " + ME + " (")
                    .hasMessageContaining("already; not starting another")
                    .satisfies(e -> assertThat(((StartRefused) e).alreadyRunning())
                            .as("another program (this test's JVM, not a jxenstored): an error, status 1").isFalse());
        }
        assertThat(Files.readString(pidFile)).isEqualTo("not mine\n");
        assertThat(Ownership.lockPathFor(socket)).doesNotExist();
    }

    @Test
    void aSecondClaimOnTheSameSocketIsRefusedWhileTheFirstHoldsIt() throws Exception {
        Ownership first = Ownership.claim(socket, null);
        assertThatThrownBy(() -> Ownership.claim(socket, null)).isInstanceOf(StartRefused.class)
                .hasMessageContaining("is being started by this process");
        first.release();
        Ownership.claim(socket, null).release();
    }

    @Test
    void anUnwritablePidFileDirectoryIsOneClearReason() throws Exception {
        Files.writeString(dir.resolve("file"), "");
        Path bad = dir.resolve("file/xenstored.pid");
        assertThatThrownBy(() -> Ownership.claim(socket, bad)).isInstanceOf(StartRefused.class)
                .hasMessage("cannot create the pid file " + bad + ": " + dir.resolve("file") + ": File exists");
    }

    @Test
    void releaseLeavesAPidFileThatIsNoLongerTheOneItLocked() throws Exception {
        Ownership o = Ownership.claim(socket, pidFile);
        o.writePid(ME);
        Files.move(pidFile, dir.resolve("old.pid"));
        Files.writeString(pidFile, "4242\n"); // another daemon's, written since
        assertThat(o.release()).singleElement().asString().contains("left alone");
        assertThat(Files.readString(pidFile)).isEqualTo("4242\n");
    }

    @Test
    void stopRemovesTheDaemonsOwnSocketButNotOneBoundInItsPlace() throws Exception {
        Path pid = dir.resolve("d.pid");
        try (TestDaemon d = TestDaemon.start(c -> {
            c.socketPath = socket;
            c.pidFile = pid;
        })) {
            assertThat(Files.readString(pid)).isEqualTo(ME + "\n");
            // another xenstored (C's, oxenstored: they unlink and bind) takes the path while this one runs
            Files.move(socket, dir.resolve("socket.old"));
            try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.bind(UnixDomainSocketAddress.of(socket));
                d.daemon().stop();
                assertThat(socket).as("the other daemon's socket").exists();
                assertThat(org.jxenstored.os.UnixSockets.probe(socket).state())
                        .isEqualTo(org.jxenstored.os.UnixSockets.State.ANSWERS);
            }
            assertThat(pid).as("its own pid file").doesNotExist();
        }
    }

    @Test
    void aStaleSocketIsReplacedAndTheOwnOneRemovedAtStop() throws Exception {
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        try (TestDaemon d = TestDaemon.start(c -> c.socketPath = socket)) {
            assertThat(org.jxenstored.os.UnixSockets.probe(socket).pid()).isEqualTo(ME);
            assertThatThrownBy(() -> Ownership.claim(socket, null)).isInstanceOf(StartRefused.class)
                    .hasMessageContaining("is served by process " + ME);
            d.daemon().stop();
            assertThat(socket).doesNotExist();
            assertThat(Ownership.lockPathFor(socket)).doesNotExist();
        }
    }
}
