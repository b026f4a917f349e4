package org.jxenstored.control;

import java.util.List;
import java.util.function.LongSupplier;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Connection;
import org.jxenstored.server.LiveUpdateGate;
import org.jxenstored.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C's live-update session (xenstored lu.c), answer for answer: at most one session, bound to the connection that
 * opened it and ended when that connection closes; while it is open, TRANSACTION_STARTs of connections without
 * transactions are held. {@code -s} is answered later: by the successor once the {@link Handover} has happened,
 * or here with C's text when it cannot (transactions still open after the timeout, a failed hand-over,
 * {@code -a}). Store thread only.
 */
public final class LiveUpdate implements LiveUpdateGate {
    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdate.class);

    static final String ALREADY_ACTIVE = "live-update session already active.";
    static final String NOT_IN_SESSION = "Not in live-update session.";
    static final String NO_SESSION = "No live-update session active.";
    static final String VERSION_NOT_SUPPORTED = "Migration stream version not supported.";
    static final String CANCELLED = "Cancellation was requested";
    static final String LONG_RUNNING = "Domains with long running transactions:";
    static final String OVERLAPPING = "Overlapping transactions";
    /** The newest migration stream version written. */
    static final int MAX_VERSION = 2;

    private final Server server;
    private final List<String> originalArgs;
    private final Repeater repeater;
    private final LongSupplier nanoClock;
    private Handover handover = Handover.NONE;
    private LiveUpdateSession session;
    private Runnable stopTicking;

    /**
     * @param originalArgs the daemon's own arguments, which the successor gets without {@code -c}
     * @param repeater runs {@link #tick()} on the store thread while a session is open
     */
    public LiveUpdate(Server server, List<String> originalArgs, Repeater repeater, LongSupplier nanoClock) {
        this.server = server;
        this.originalArgs = List.copyOf(originalArgs);
        this.repeater = repeater;
        this.nanoClock = nanoClock;
    }

    /** Sets how the update is finally done (the composition root: exec; tests: a stand-in). */
    public void setHandover(Handover handover) {
        this.handover = handover;
    }

    @Override
    public boolean pending() {
        return session() != null;
    }

    /** The open session, after ending one whose connection has closed (C frees it with the connection). */
    private LiveUpdateSession session() {
        if (session != null && session.conn.isClosed()) {
            LOG.info("live-update: the session's connection closed: session ended");
            end();
        }
        return session;
    }

    /** {@code -f <binary>}: opens a session (the file was checked by the caller). */
    String begin(Connection conn, String binary) {
        if (session() != null) {
            return ALREADY_ACTIVE;
        }
        session = new LiveUpdateSession(conn, binary);
        stopTicking = repeater.repeat(this::tick);
        return null;
    }

    /** {@code -c <cmdline>}. */
    String cmdline(Connection conn, String cmdline) {
        LiveUpdateSession s = session();
        if (s == null || s.conn != conn) {
            return NOT_IN_SESSION;
        }
        s.cmdline = cmdline;
        return null;
    }

    /** {@code -s}: null when accepted (the answer comes later), else the answer now. */
    String start(Connection conn, XsMessage request, boolean force, long timeoutSeconds, long version) {
        LiveUpdateSession s = session();
        if (s == null || s.conn != conn) {
            return NOT_IN_SESSION;
        }
        if (version == 0 || version > MAX_VERSION) {
            return VERSION_NOT_SUPPORTED;
        }
        if (s.started()) {
            answer(s, CANCELLED); // a second -s replaces the first (C would run both; only one can win)
        }
        s.force = force;
        s.timeoutSeconds = timeoutSeconds;
        s.version = (int) version;
        s.startedNanos = nanoClock.getAsLong();
        s.start = request;
        LOG.info("live-update: start, force={}, to={}, version={}", force, timeoutSeconds, version);
        return null;
    }

    /** {@code -a}: from any connection, as in C. */
    String abort() {
        LiveUpdateSession s = session();
        if (s == null) {
            return NO_SESSION;
        }
        LOG.info("live-update: abort");
        if (s.started()) {
            answer(s, CANCELLED);
        }
        end();
        return null;
    }

    /** One pass of C's {@code do_lu_start}: goes ahead, gives up, or keeps waiting for transactions to end. */
    void tick() {
        LiveUpdateSession s = session();
        if (s == null || !s.started()) {
            return;
        }
        TransactionsOpen open = TransactionsOpen.of(server.connections(), s.timeoutSeconds);
        if (!open.allowUpdate(s.force)) {
            long waited = nanoClock.getAsLong() - s.startedNanos;
            if (waited < s.timeoutSeconds * 1_000_000_000L) {
                return;
            }
            if (!s.force) {
                finish(s, open.rejectReason());
                return;
            }
        }
        List<String> argv = SuccessorArgv.of(s.binary, s.cmdline, originalArgs);
        LOG.info("live-update: handing over to {}", argv);
        String failure = handover.handOver(new HandoverRequest(s.binary, argv, s.version, s.conn, s.start));
        finish(s, failure);
    }

    private void finish(LiveUpdateSession s, String answer) {
        LOG.info("live-update: {}", answer);
        answer(s, answer);
        end();
    }

    private static void answer(LiveUpdateSession s, String text) {
        XsMessage request = s.start;
        s.start = null;
        s.conn.send(new XsMessage(XsType.CONTROL.code, request.reqId, request.txId, Payload.nulTerminated(text)));
        s.conn.flush();
    }

    /** Ends the session: the held TRANSACTION_STARTs are served. */
    private void end() {
        session = null;
        if (stopTicking != null) {
            stopTicking.run();
            stopTicking = null;
        }
        server.serveHeldRequests();
    }
}
