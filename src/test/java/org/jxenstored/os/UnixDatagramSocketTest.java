package org.jxenstored.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The datagram socket of the shared-directory simulator's event channels. */
class UnixDatagramSocketTest {
    @TempDir
    Path dir; // /tmp/junitNNN: short enough for a socket path

    @Test
    void aDatagramSentArrivesWhole() throws Exception {
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(dir.resolve("r"));
                UnixDatagramSocket sender = UnixDatagramSocket.unbound()) {
            assertThat(sender.send(dir.resolve("r"), "guest 1 10".getBytes(StandardCharsets.US_ASCII))).isTrue();
            byte[] buf = new byte[64];
            int n = receiver.receive(buf);
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("guest 1 10");
        }
    }

    @Test
    void aDatagramToNobodyIsDroppedWithoutBlocking() throws Exception {
        try (UnixDatagramSocket sender = UnixDatagramSocket.unbound()) {
            assertThat(sender.send(dir.resolve("nobody"), new byte[] {1})).isFalse();
        }
    }

    @Test
    void aFullQueueDropsInsteadOfBlocking() throws Exception {
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(dir.resolve("r"));
                UnixDatagramSocket sender = UnixDatagramSocket.unbound()) {
            boolean dropped = false;
            for (int i = 0; i < 100_000 && !dropped; i++) {
                dropped = !sender.send(receiver.path(), new byte[] {1});
            }
            assertThat(dropped).isTrue();
        }
    }

    @Test
    void aLiveBindingIsNotTakenOverButAStaleFileIsReplaced() throws Exception {
        Path p = dir.resolve("r");
        try (UnixDatagramSocket first = UnixDatagramSocket.bind(p)) {
            assertThat(first.path()).isEqualTo(p);
            assertThatThrownBy(() -> UnixDatagramSocket.bind(p)).isInstanceOf(IOException.class)
                    .hasMessageContaining("bound to " + p);
        }
        Files.writeString(p, "left by a process that died");
        try (UnixDatagramSocket again = UnixDatagramSocket.bind(p)) {
            assertThat(again.path()).isEqualTo(p);
        }
        assertThat(p).as("removed on close").doesNotExist();
    }

    @Test
    void shutdownEndsABlockedReceive() throws Exception {
        try (UnixDatagramSocket receiver = UnixDatagramSocket.bind(dir.resolve("r"))) {
            CompletableFuture<Integer> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return receiver.receive(new byte[16]);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);
            receiver.shutdown();
            assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        }
    }
}
