package org.jxenstored.transport.ring;

import static org.jxenstored.xen.RingLayout.CONNECTED;
import static org.jxenstored.xen.RingLayout.ERROR_PROTO;
import static org.jxenstored.xen.RingLayout.ERROR_RINGIDX;
import static org.jxenstored.xen.RingLayout.FEATURE_ERROR;
import static org.jxenstored.xen.RingLayout.RECONNECT;
import static org.jxenstored.xen.RingLayout.XENSTORE_RING_SIZE;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Connection;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.Server;
import org.jxenstored.server.TransportState;
import org.jxenstored.transport.FrameParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A domain's connection over its shared ring page. Runs on the store thread, woken by the domain's event channel.
 *
 * <p>Input: the request ring's indexes are read once per pass, their distance checked (more than a ring's worth is
 * a broken ring), the bytes copied out and framed by the same parser as the socket. Output: replies and events are
 * encoded into a small buffer and copied into the response ring as space allows; the rest waits in the
 * connection's bounded queue. While output waits, no further requests are taken from the ring, so a guest that
 * does not read cannot make the daemon buffer more. A broken ring or an oversized header sets the error indicator
 * and the connection is ignored from then on (its watches and transactions dropped), but the domain stays until
 * Xen says it is gone (XSA-325). A guest setting the connection word to RECONNECT gets a fresh connection.
 */
public final class RingConnection extends Connection {
    private static final Logger LOG = LoggerFactory.getLogger(RingConnection.class);
    /** Encoded output beyond the ring that this connection holds before the queue takes over. */
    private static final int OUT_BUFFER_LIMIT = 4096;

    /** Signals the guest's side of the event channel. */
    public interface Signal {
        void notifyPeer();
    }

    private final Server server;
    private final RingPage page;
    private final Signal signal;
    private final RequestGate gate;
    private final ScheduledExecutorService storeThread;
    private boolean retryScheduled;
    private final ByteBuf in = Unpooled.buffer(XsMessage.HEADER_SIZE + XsMessage.PAYLOAD_MAX);
    private final ByteBuf out = Unpooled.buffer(OUT_BUFFER_LIMIT);
    private final byte[] scratch = new byte[XENSTORE_RING_SIZE];
    private boolean ignored;
    private int errorCode;
    private boolean flushPending;
    /** Our end of the domain's event channel (a live update's CONNECTION_DATA names it); -1 when unknown. */
    private int localPort = -1;
    /** Whether requests are held in the ring because output waits (counted once per episode). */
    private boolean heldBack;
    /**
     * The request ring's consumer index as far as this connection has read; published to the page only at the end
     * of the batch, once what the requests changed is kept (so a crash in between leaves them in the ring).
     */
    private int consumed;
    /** Input stream position (in request ring index units) up to which requests have been served. */
    private int servedUpTo;
    /** A request that was being served when the daemon died twice: refused instead (see {@link #quarantine}). */
    private boolean quarantined;
    private int quarantinedAt;
    /** Bytes ever put into {@link #out}, and ever copied from it into the response ring. */
    private long outAppended;
    private long outToRing;
    /**
     * How far into the output stream may go to the ring: up to what the persistence layer kept at its last
     * {@link #captureState()} (unbounded when nothing is kept).
     */
    private long outReleased = Long.MAX_VALUE;
    /**
     * Bytes of the message at the head of {@link #out} not yet copied into the ring: 0 when the head is a whole
     * message, -1 when unknown (a predecessor's output whose framing it did not say; known again once out is empty).
     * A C successor needs it (out-resp-len): its reader takes out-data as whole messages after that many bytes.
     */
    private int headLeft;
    /** A header claiming more than this is not one of ours: the framing is then unknown. */
    private static final int MAX_FRAMED_PAYLOAD = 1 << 16;

    /**
     * @param gate decides when the next request may be served (write-rate limiting)
     * @param storeThread where to come back when the gate says wait
     */
    public RingConnection(Server server, int domid, boolean privileged, RingPage page, Signal signal,
            RequestGate gate, ScheduledExecutorService storeThread) {
        super(domid, privileged, server);
        this.server = server;
        this.page = page;
        this.signal = signal;
        this.gate = gate;
        this.storeThread = storeThread;
        this.consumed = page.reqCons();
        this.servedUpTo = consumed;
    }

    /**
     * Refuses the request starting at input position {@code position} with EIO instead of serving it: it was being
     * served when the daemon died, twice (the restart found it so), so serving it again would crash-loop the daemon.
     */
    public void quarantine(int position) {
        quarantined = true;
        quarantinedAt = position;
    }

    @Override
    public boolean survivesRestart() {
        return true;
    }

    /**
     * What a restart needs of this connection's traffic: the request ring's consumer index as read, the input
     * taken from the ring but not yet served, the response ring's producer index and every byte of output not yet
     * in the ring (the buffer, then the waiting replies and events). From now on no output goes to the ring beyond
     * what this covers, until the next capture.
     */
    public RingState captureState() {
        byte[] inData = new byte[consumed - servedUpTo]; // what is unserved (the request being served included)
        in.getBytes(in.writerIndex() - inData.length, inData);
        ByteBuf pending = Unpooled.buffer(out.readableBytes());
        pending.writeBytes(out, out.readerIndex(), out.readableBytes());
        forEachWaiting(m -> FrameParser.write(m, pending));
        byte[] outData = new byte[pending.readableBytes()];
        pending.readBytes(outData);
        outReleased = outAppended;
        return new RingState(consumed, inData, page.rspProd(), outData, gate.credit(System.nanoTime()),
                Math.max(0, headLeft));
    }

    /**
     * Takes over what a predecessor had of this connection's traffic ({@link #captureState()}), against the ring as
     * it is now: the consumer index it had reached, its unserved input, and its output minus what reached the ring.
     *
     * @return false (and the connection fails) when the ring does not fit the state: a broken ring
     */
    public boolean restoreState(RingState s) {
        int unpublished = s.reqCons() - page.reqCons();
        int delivered = page.rspProd() - s.rspProd();
        if (unpublished < 0 || unpublished > XENSTORE_RING_SIZE || delivered < 0 || delivered > s.outData().length) {
            fail(ERROR_RINGIDX, "ring indexes do not fit the restored state (request consumer "
                    + Integer.toUnsignedString(page.reqCons()) + " vs " + Integer.toUnsignedString(s.reqCons())
                    + ", response producer " + Integer.toUnsignedString(page.rspProd()) + " vs "
                    + Integer.toUnsignedString(s.rspProd()) + ")");
            return false;
        }
        if (!Double.isNaN(s.credit())) {
            gate.restoreCredit(s.credit(), System.nanoTime());
        }
        consumed = s.reqCons();
        servedUpTo = consumed - s.inData().length;
        in.clear();
        in.writeBytes(s.inData());
        out.clear();
        out.writeBytes(s.outData(), delivered, s.outData().length - delivered);
        headLeft = framingAfter(s.outData(), s.outPartial(), delivered);
        outAppended = out.readableBytes();
        outToRing = 0;
        scheduleFlush();
        return true;
    }


    public int localPort() {
        return localPort;
    }

    public void setLocalPort(int port) {
        this.localPort = port;
    }

    public RingPage page() {
        return page;
    }

    /** Whether this connection was shut off after a ring error (see {@link #errorCode()}). */
    public boolean isIgnored() {
        return ignored;
    }

    /** The {@code XENSTORE_ERROR_*} value that shut this connection off, 0 if none. */
    public int errorCode() {
        return errorCode;
    }

    /** The domain's event channel fired: serve what it asks for. */
    public void onEvent() {
        if (ignored || isClosed()) {
            return;
        }
        if (page.connection() == RECONNECT) {
            reconnect();
            return;
        }
        drain(); // output first: the guest may have made room
        readRequests();
        server.flushPending();
    }

    /**
     * Serves complete requests, refilling from the ring as needed; stops as soon as output has to wait (the
     * remaining bytes stay in the ring or in the input buffer until the guest reads).
     */
    private void readRequests() {
        while (!ignored && !isClosed()) {
            try {
                XsMessage m;
                while (!outputBacklogged() && !ignored && !isClosed() && mayServe()
                        && (m = FrameParser.next(in)) != null) {
                    int at = servedUpTo;
                    if (quarantined && at == quarantinedAt) {
                        quarantined = false;
                        LOG.warn("{}: refusing request {} (id {}, {} bytes) with EIO: it was being served when the"
                                + " daemon died, twice", this, XsType.of(m.type), Integer.toUnsignedString(m.reqId),
                                m.payload.length);
                        send(XsMessage.error(m, XsError.EIO));
                    } else {
                        server.persistence().serving(this, at);
                        server.handler().handle(this, m);
                        gate.served(m, System.nanoTime());
                    }
                    servedUpTo = consumed - in.readableBytes();
                }
                if (!mayServe()) {
                    return;
                }
            } catch (FrameParser.ProtocolViolation e) {
                fail(ERROR_PROTO, e.getMessage());
                return;
            }
            if (ignored || isClosed() || outputBacklogged()) {
                return;
            }
            in.discardReadBytes();
            int cons = consumed;
            int prod = page.reqProd();
            int avail = prod - cons;
            if (avail < 0 || avail > XENSTORE_RING_SIZE) {
                fail(ERROR_RINGIDX, "request indexes cons=" + Integer.toUnsignedString(cons) + " prod="
                        + Integer.toUnsignedString(prod));
                return;
            }
            if (avail == 0) {
                return;
            }
            page.readRequest(cons, scratch, 0, avail);
            consumed = cons + avail;
            in.writeBytes(scratch, 0, avail);
            server.persistence().ioChanged(this);
            scheduleFlush();
        }
    }

    /**
     * Whether so many replies and events wait for the guest to read that no more requests are taken: C's
     * {@code outstanding} quota (20); where it does not apply or is off, the per-connection event bound.
     */
    private boolean outputBacklogged() {
        int waiting = waitingCount();
        if (waiting == 0) {
            heldBack = false;
            return false;
        }
        boolean quota = server.quotas().applies(this);
        int limit = quota ? server.quotas().limit(domid(), QuotaKind.OUTSTANDING) : 0;
        boolean backlogged = waiting >= (limit > 0 ? limit : Math.max(1, server.limits().pendingEventsPerConnection));
        if (backlogged && !heldBack && quota && limit > 0) {
            server.quotas().refused(QuotaKind.OUTSTANDING);
        }
        heldBack = backlogged;
        return backlogged;
    }

    /** Whether the gate lets the next request through; if not, come back when it will. */
    private boolean mayServe() {
        long wait = gate.waitNanos(System.nanoTime());
        if (wait == 0) {
            return true;
        }
        if (!retryScheduled) {
            retryScheduled = true;
            noteThrottled(wait);
            storeThread.schedule(() -> {
                retryScheduled = false;
                onEvent();
            }, wait, TimeUnit.NANOSECONDS);
        }
        return false;
    }

    @Override
    protected boolean transportWritable() {
        return !ignored && out.readableBytes() < OUT_BUFFER_LIMIT;
    }

    @Override
    protected void transportWrite(XsMessage m) {
        int before = out.writerIndex();
        FrameParser.write(m, out);
        outAppended += out.writerIndex() - before;
        server.persistence().ioChanged(this);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushPending) {
            flushPending = true;
            server.markPendingFlush(this);
        }
    }

    /** Copies as much buffered output into the response ring as it has room for. */
    @Override
    public void flush() {
        flushPending = false;
        if (ignored) {
            return;
        }
        if (page.reqCons() != consumed) {
            page.setReqCons(consumed); // the requests read are served and kept: their room is the guest's again
            signal.notifyPeer();
        }
        int releasable = (int) Math.min(out.readableBytes(), outReleased - outToRing);
        if (releasable <= 0) {
            return;
        }
        int prod = page.rspProd();
        int cons = page.rspCons();
        int used = prod - cons;
        if (used < 0 || used > XENSTORE_RING_SIZE) {
            fail(ERROR_RINGIDX, "response indexes cons=" + Integer.toUnsignedString(cons) + " prod="
                    + Integer.toUnsignedString(prod));
            return;
        }
        int n = Math.min(XENSTORE_RING_SIZE - used, releasable);
        if (n == 0) {
            return;
        }
        outToRing += n;
        headLeft = advanceFraming(out, out.readerIndex(), n, headLeft);
        out.readBytes(scratch, 0, n);
        if (!out.isReadable()) {
            headLeft = 0; // whatever comes next starts a message
        }
        page.writeResponse(prod, scratch, 0, n);
        page.setRspProd(prod + n);
        out.discardReadBytes();
        signal.notifyPeer();
    }

    /**
     * Where the framing stands after {@code n} bytes from {@code from} in {@code buf} went out, {@code left} bytes
     * of the head message having been due: each message is its 16-byte header plus the length in its header. -1
     * (unknown) stays unknown, and so does anything that does not parse as messages.
     */
    static int advanceFraming(ByteBuf buf, int from, int n, int left) {
        int pos = from;
        int k = n;
        while (k > 0 && left >= 0) {
            if (left == 0) {
                if (pos + XsMessage.HEADER_SIZE > buf.writerIndex()) {
                    return -1;
                }
                int len = buf.getIntLE(pos + 12);
                if (len < 0 || len > MAX_FRAMED_PAYLOAD) {
                    return -1;
                }
                left = XsMessage.HEADER_SIZE + len;
            }
            int step = Math.min(k, left);
            left -= step;
            k -= step;
            pos += step;
        }
        return left;
    }

    /** {@link #advanceFraming} over a predecessor's output, {@code partial} bytes of its head message due. */
    static int framingAfter(byte[] outData, int partial, int delivered) {
        return advanceFraming(Unpooled.wrappedBuffer(outData), 0, delivered, partial);
    }

    /** The guest asked for a fresh connection: forget everything, empty both rings, say CONNECTED. */
    private void reconnect() {
        LOG.info("{}: ring reconnection", this);
        server.resetConnection(this);
        in.clear();
        out.clear();
        headLeft = 0;
        page.resetIndexes();
        consumed = 0;
        servedUpTo = 0;
        outToRing = outAppended;
        page.setConnection(CONNECTED);
        signal.notifyPeer();
    }

    /** Stops serving this ring after a protocol or index error; the domain itself stays (XSA-325). */
    private void fail(int code, String why) {
        if (ignored) {
            return;
        }
        LOG.warn("{}: {}; ignoring this connection (error {})", this, why, code);
        ignored = true;
        errorCode = code;
        in.clear();
        out.clear();
        headLeft = 0;
        if ((page.serverFeatures() & FEATURE_ERROR) != 0) {
            page.setError(code);
        }
        close();
        signal.notifyPeer();
    }

    @Override
    public String describe() {
        return "domain " + domid() + " ring";
    }

    @Override
    public String transport() {
        return "ring";
    }

    /**
     * The input buffer's missing bytes of the request being received, what waits in the input buffer and the
     * request ring, what waits in the output buffer and the response ring (unread by the guest), and whether requests
     * are held back (output waits, no write credit, or the connection failed).
     */
    @Override
    public TransportState transportState() {
        int buffered = in.readableBytes();
        int needed;
        if (buffered < XsMessage.HEADER_SIZE) {
            needed = XsMessage.HEADER_SIZE - buffered;
        } else {
            long len = in.getUnsignedIntLE(in.readerIndex() + 12);
            needed = (int) Math.max(0, Math.min(Integer.MAX_VALUE, XsMessage.HEADER_SIZE + len - buffered));
        }
        long inRing = ringDistance(page.reqProd(), page.reqCons());
        long outRing = ringDistance(page.rspProd(), page.rspCons());
        boolean paused = ignored || isClosed() || retryScheduled || (waitingCount() > 0 && heldBack);
        String note = ignored && errorCode != 0 ? "ring error " + errorCode + ", ignored" : ignored ? "ignored" : "";
        return new TransportState(needed, buffered + inRing, out.readableBytes() + outRing, paused, note);
    }

    /** Bytes between a ring's consumer and producer indexes; 0 if they are broken. */
    private static long ringDistance(int prod, int cons) {
        int d = prod - cons;
        return d < 0 || d > XENSTORE_RING_SIZE ? 0 : d;
    }

    @Override
    protected void closeTransport() {
        ignored = true;
    }
}
