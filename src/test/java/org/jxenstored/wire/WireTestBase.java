package org.jxenstored.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.wire.XsTestClient.CONTROL;
import static org.jxenstored.wire.XsTestClient.READ;
import static org.jxenstored.wire.XsTestClient.nul;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient.Msg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * One daemon per test class (tests use unique paths under {@link #base}), clients closed after each test, and after
 * the class the daemon must still answer and CONTROL check must say OK.
 *
 * <p>Expected replies were taken from the real C xenstored of Xen 4.17 (the anchor at /tmp/ac), unless a comment
 * says the Xen 4.22 specification (docs/misc/xenstore.txt) or C xenstored 4.22.0 (probed request by request, and
 * its source) is followed instead, where 4.22 answers differently.
 */
abstract class WireTestBase {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /**
     * Set (e.g. {@code mvn test -Dwire.socket=/tmp/ac/socket}) to run the tests against another daemon, such as the
     * C anchor, to check the expectations themselves; tests that need their own configured daemon are then skipped.
     */
    static final String EXTERNAL_SOCKET = System.getProperty("wire.socket", "");
    /** Distinguishes runs against a long-lived external daemon, whose tree keeps earlier runs' paths. */
    private static final String RUN = EXTERNAL_SOCKET.isEmpty() ? ""
            : Long.toString(System.currentTimeMillis() % 100000000L, 36) + "-";

    protected static TestDaemon daemon;
    protected static Path socket;
    private final List<XsTestClient> clients = new ArrayList<>();
    /** A fresh absolute path for this test, e.g. /readMissing-17 (not created). */
    protected String base;
    /** The first client of the test. */
    protected XsTestClient c;

    static boolean external() {
        return !EXTERNAL_SOCKET.isEmpty();
    }

    @BeforeAll
    static void startDaemon() {
        if (external()) {
            socket = Path.of(EXTERNAL_SOCKET);
        } else {
            daemon = TestDaemon.start();
            socket = daemon.socketPath();
        }
    }

    @AfterAll
    static void daemonStillHealthy() {
        try {
            assertDaemonHealthy(socket);
        } finally {
            if (daemon != null) {
                daemon.close();
                daemon = null;
            }
        }
    }

    /** Skips a test that needs a daemon of its own (configured limits, a pristine tree). */
    static void assumeOwnDaemon() {
        Assumptions.assumeFalse(external(), "needs a jxenstored of its own");
    }

    @BeforeEach
    void setUpClient(TestInfo info) {
        String name = info.getTestMethod().map(m -> m.getName()).orElse("t");
        base = "/" + name + "-" + RUN + COUNTER.incrementAndGet();
        c = client();
    }

    @AfterEach
    void closeClients() {
        for (XsTestClient x : clients) {
            x.close();
        }
        clients.clear();
    }

    /** A new connection to this class's daemon, closed after the test. */
    protected XsTestClient client() {
        XsTestClient x = XsTestClient.connect(socket);
        clients.add(x);
        return x;
    }

    /** The daemon answers a fresh connection and CONTROL check says "OK". */
    static void assertDaemonHealthy(Path sock) {
        try (XsTestClient x = XsTestClient.connect(sock)) {
            Msg r = x.request(READ, nul("/tool/xenstored"));
            assertThat(r.type()).as("READ /tool/xenstored after the tests: %s", r).isEqualTo(READ);
            Msg check = x.request(CONTROL, nul("check"));
            XsTestClient.expectReply(check, CONTROL, nul("OK"));
        }
    }
}
