package org.jxenstored.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe that decides whether a socket path is free, stale (replaceable) or served (hands off). */
class UnixSocketsTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxsu");
    }

    @AfterEach
    void tearDown() throws Exception {
        try (var s = Files.list(dir)) {
            s.forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void nothingThereIsAbsent() {
        assertThat(UnixSockets.probe(dir.resolve("socket")).state()).isEqualTo(UnixSockets.State.ABSENT);
    }

    @Test
    void aListenerAnswersAndTheKernelNamesItsProcess() throws Exception {
        Path socket = dir.resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            UnixSockets.Probe p = UnixSockets.probe(socket);
            assertThat(p.state()).isEqualTo(UnixSockets.State.ANSWERS);
            assertThat(p.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(p.who()).startsWith("process " + ProcessHandle.current().pid() + " (");
        }
    }

    @Test
    void aSocketFileNobodyListensOnIsStale() throws Exception {
        Path socket = dir.resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists(); // Java leaves the file, as a daemon killed with SIGKILL does
        assertThat(UnixSockets.probe(socket).state()).isEqualTo(UnixSockets.State.STALE);
    }

    @Test
    void aRegularFileIsNotASocketThatAnswers() throws Exception {
        Path socket = dir.resolve("socket");
        Files.writeString(socket, "x");
        assertThat(UnixSockets.probe(socket).state()).isEqualTo(UnixSockets.State.STALE);
    }
}
