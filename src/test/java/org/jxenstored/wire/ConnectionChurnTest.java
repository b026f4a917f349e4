package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.CONTROL;
import static org.jxenstored.wire.XsTestClient.READ;
import static org.jxenstored.wire.XsTestClient.WATCH;
import static org.jxenstored.wire.XsTestClient.WRITE;
import static org.jxenstored.wire.XsTestClient.expectError;
import static org.jxenstored.wire.XsTestClient.expectOk;
import static org.jxenstored.wire.XsTestClient.expectReply;
import static org.jxenstored.wire.XsTestClient.frame;
import static org.jxenstored.wire.XsTestClient.latin1;
import static org.jxenstored.wire.XsTestClient.nul;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many connections coming and going, and clients that vanish with state (transactions, watches) behind. */
class ConnectionChurnTest extends WireTestBase {

    private void expectHealthy() {
        try (XsTestClient x = XsTestClient.connect(socket)) {
            expectReply(x.read("/tool/xenstored"), READ, new byte[0]);
            expectReply(x.control("check"), CONTROL, nul("OK"));
        }
    }

    @Test
    void fiveHundredSequentialConnections() throws IOException {
        for (int i = 0; i < 500; i++) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                if (i % 2 == 0) {
                    // every other one does a round trip first
                    ch.write(ByteBuffer.wrap(frame(READ, i, 0, nul("/tool"))));
                    ByteBuffer reply = ByteBuffer.allocate(16);
                    while (reply.hasRemaining()) {
                        assertThat(ch.read(reply)).isNotNegative();
                    }
                }
            }
        }
        expectHealthy();
    }

    @Test
    void twoHundredSimultaneousConnections() throws Exception {
        List<XsTestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                open.add(XsTestClient.connect(socket));
            }
            // all of them active at once, from several threads
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < open.size(); i++) {
                    XsTestClient x = open.get(i);
                    String p = base + "/c" + i;
                    done.add(pool.submit(() -> {
                        expectOk(x.write(p, "v"), WRITE);
                        expectReply(x.read(p), READ, latin1("v"));
                        if (p.endsWith("0")) {
                            expectOk(x.watch(p, "t"), WATCH);
                            x.startTransaction();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            for (XsTestClient x : open) {
                x.close();
            }
        }
        expectHealthy();
        expectReply(c.read(base + "/c199"), READ, latin1("v"));
    }

    @Test
    void fiveHundredConnectionsInWavesOfTwoHundred() throws IOException {
        int total = 0;
        while (total < 500) {
            List<SocketChannel> wave = new ArrayList<>();
            try {
                for (int i = 0; i < 200 && total < 500; i++, total++) {
                    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    wave.add(ch);
                }
                for (SocketChannel ch : wave) {
                    ch.write(ByteBuffer.wrap(frame(READ, 1, 0, nul("/tool"))));
                }
                for (SocketChannel ch : wave) {
                    ByteBuffer reply = ByteBuffer.allocate(16);
                    while (reply.hasRemaining()) {
                        assertThat(ch.read(reply)).isNotNegative();
                    }
                }
            } finally {
                for (SocketChannel ch : wave) {
                    ch.close();
                }
            }
        }
        expectHealthy();
    }

    @Test
    void clientDyingMidTransactionLeavesNoTrace() {
        XsTestClient dying = client();
        int tx = dying.startTransaction();
        expectOk(dying.write(tx, base + "/a/b", "v"), WRITE);
        expectOk(dying.write(tx, base + "/c", "v"), WRITE);
        expectOk(dying.request(XsTestClient.RM, tx, nul("/tool/xenstored")), XsTestClient.RM);
        dying.close();
        expectError(c.read(base), "ENOENT");
        expectError(c.read(base + "/a/b"), "ENOENT");
        expectReply(c.read("/tool/xenstored"), READ, new byte[0]);
        expectHealthy();
        // and the tree is usable by the others, also in transactions touching the same nodes
        int tx2 = c.startTransaction();
        expectOk(c.write(tx2, base + "/a/b", "mine"), WRITE);
        expectOk(c.endTransaction(tx2, true), XsTestClient.TRANSACTION_END);
        expectReply(c.read(base + "/a/b"), READ, latin1("mine"));
    }

    @Test
    void clientDyingWithWatchesAndManyOpenTransactions() {
        for (int round = 0; round < 20; round++) {
            XsTestClient dying = client();
            for (int i = 0; i < 5; i++) {
                int tx = dying.startTransaction();
                expectOk(dying.write(tx, base + "/r" + round + "/t" + i, "v"), WRITE);
            }
            expectOk(dying.watch(base, "w" + round), WATCH);
            expectOk(dying.watch("/", "root"), WATCH);
            dying.close();
        }
        XsTestClient writer = client();
        expectOk(writer.write(base + "/after", "v"), WRITE);
        expectReply(writer.directory(base), XsTestClient.DIRECTORY, nul("after"));
        expectHealthy();
    }

    @Test
    void clientClosingWithUnreadRepliesAndEvents() {
        XsTestClient writer = client();
        for (int round = 0; round < 10; round++) {
            XsTestClient x = client();
            expectOk(x.watch(base, "w"), WATCH);
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                batch.writeBytes(frame(WRITE, i, 0, XsTestClient.cat(nul(base + "/n" + (i % 7)), latin1("v" + i))));
            }
            x.writeRaw(batch.toByteArray());
            expectOk(writer.write(base + "/w" + round, "v"), WRITE);
            x.close();
        }
        expectHealthy();
    }
}
