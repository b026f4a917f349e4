package org.jxenstored.transport.unix;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.stream.Collectors;
import org.jxenstored.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A Dom0 client sending oversized frames (a fuzzer: each one ends its connection, so it reconnects and sends
 * another, hundreds a second) gets one WARN line per interval, and the count of the others, not one line each.
 */
class ViolationLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(XsFrameDecoder.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void setUp() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(lines);
    }

    private static void sendOversizedFrame(java.nio.file.Path socket) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(2).putInt(1).putInt(0).putInt(5000).flip(); // READ with a 5000-byte payload
            ch.write(header);
            // the daemon closes the connection
            assertThat(ch.read(ByteBuffer.allocate(16))).isEqualTo(-1);
        }
    }

    private List<String> warnings() {
        return lines.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
    }

    @Test
    void fiveHundredOversizedFramesMakeOneLineAndACount() throws Exception {
        long me = ProcessHandle.current().pid();
        try (TestDaemon d = TestDaemon.start()) {
            for (int i = 0; i < 500; i++) {
                sendOversizedFrame(d.socketPath());
            }
            assertThat(warnings()).singleElement().asString().matches("socket client pid " + me
                    + " \\(.*\\) uid \\d+: payload length 5000 exceeds 4096; closing the connection");
            assertThat(d.daemon().socket().violationLog().suppressed()).isEqualTo(499);
            d.daemon().stop(); // the count is logged at the latest when the daemon stops
        }
        assertThat(warnings()).hasSize(2).last().asString().startsWith("socket client pid " + me)
                .contains(": 499 more like this in the last ").contains(" s, not logged (last: payload length 5000 "
                        + "exceeds 4096; closing the connection)");
    }
}
