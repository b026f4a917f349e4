package org.jxenstored.xen.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jxenstored.transport.FrameParser;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.transport.ring.RingPage;
import org.jxenstored.xen.RingLayout;

/**
 * A simulated guest's side of xenstore: it talks to the daemon over its ring page the way a guest kernel's xenbus
 * driver does (write requests into the request ring as space allows, signal, read replies and watch events from the
 * response ring, signal). Used by tests and by the demo mode. One thread at a time drives a guest.
 */
public final class SimGuest {
    private final int domid;
    private final int port;
    private final RingPage page;
    /** Signals the daemon through whichever simulated hypervisor made this guest. */
    private final Runnable signalDaemon;
    private final Object lock = new Object();
    private long notifications;
    private final ByteBuf in = Unpooled.buffer(8192);
    private final List<XsMessage> events = new ArrayList<>();
    private int nextReqId = 1;

    SimGuest(int domid, int port, ByteBuffer page, Runnable signalDaemon) {
        this.domid = domid;
        this.port = port;
        this.page = new RingPage(page);
        this.signalDaemon = signalDaemon;
    }

    public int domid() {
        return domid;
    }

    /**
     * The frame number of this guest's ring page, as a toolstack would give it in INTRODUCE: the simulator has no
     * memory frames, so a stable made-up one per domain (0x100000 + domid), which {@code xenstore-control mfn} shows.
     */
    public long ringFrame() {
        return 0x100000L + domid();
    }

    /** The guest's event channel port: what the toolstack passes in INTRODUCE. */
    public int port() {
        return port;
    }

    /** The raw page, for tests that play a broken or hostile guest. */
    public RingPage page() {
        return page;
    }

    /** The daemon signalled this guest's event channel (called by the simulated hypervisor). */
    void daemonSignalled() {
        synchronized (lock) {
            notifications++;
            lock.notifyAll();
        }
    }

    /** Signals the daemon, as the guest kernel does after moving an index. */
    public void notifyDaemon() {
        signalDaemon.run();
    }

    /** Waits until the daemon signalled since {@code seen} (or the timeout passed); returns the new count. */
    private long awaitNotification(long seen, long deadlineNanos) throws InterruptedException {
        synchronized (lock) {
            while (notifications == seen) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return notifications;
        }
    }

    private long notificationCount() {
        synchronized (lock) {
            return notifications;
        }
    }

    /** Writes raw bytes into the request ring, waiting for room as needed. */
    public void sendBytes(byte[] bytes, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int off = 0;
        while (off < bytes.length) {
            long seen = notificationCount();
            int prod = page.reqProd();
            int cons = page.reqCons();
            int space = RingLayout.XENSTORE_RING_SIZE - (prod - cons);
            if (space > 0) {
                int n = Math.min(space, bytes.length - off);
                page.writeRequest(prod, bytes, off, n);
                page.setReqProd(prod + n);
                off += n;
                notifyDaemon();
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("request ring full for " + timeoutMillis + " ms");
            }
            awaitNotification(seen, deadline);
        }
    }

    public void send(XsMessage m) throws InterruptedException {
        ByteBuf b = Unpooled.buffer(XsMessage.HEADER_SIZE + m.payload.length);
        FrameParser.write(m, b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        sendBytes(bytes, 5000);
    }

    /** Takes what the response ring holds into the guest's buffer. */
    private void pullResponses() {
        int cons = page.rspCons();
        int prod = page.rspProd();
        int avail = prod - cons;
        if (avail <= 0 || avail > RingLayout.XENSTORE_RING_SIZE) {
            return;
        }
        byte[] chunk = new byte[avail];
        page.readResponse(cons, chunk, 0, avail);
        page.setRspCons(cons + avail);
        in.writeBytes(chunk);
        notifyDaemon();
    }

    /** The next message from the daemon, or null after {@code timeoutMillis}. */
    public XsMessage receive(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long seen = notificationCount();
            pullResponses();
            try {
                XsMessage m = FrameParser.next(in);
                if (m != null) {
                    in.discardReadBytes();
                    return m;
                }
            } catch (FrameParser.ProtocolViolation e) {
                throw new IllegalStateException("daemon sent an oversized message", e);
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            awaitNotification(seen, deadline);
        }
    }

    /**
     * Sends a request and waits for its reply; watch events that arrive meanwhile are kept (see {@link #events()}).
     *
     * @return the reply, or null on timeout
     */
    public XsMessage request(XsType type, int txId, byte[] payload) throws InterruptedException {
        int reqId = nextReqId++;
        send(new XsMessage(type.code, reqId, txId, payload));
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            XsMessage m = receive(Math.max(1, deadline - System.currentTimeMillis()));
            if (m == null) {
                return null;
            }
            if (m.type == XsType.WATCH_EVENT.code) {
                events.add(m);
            } else if (m.reqId == reqId) {
                return m;
            }
        }
    }

    /** Watch events received so far (and not yet taken). */
    public List<XsMessage> events() {
        return events;
    }

    /** Waits up to {@code timeoutMillis} for a watch event, keeping it in {@link #events()}; false on timeout. */
    public boolean awaitEvent(long timeoutMillis) throws InterruptedException {
        if (!events.isEmpty()) {
            return true;
        }
        XsMessage m = receive(timeoutMillis);
        if (m == null) {
            return false;
        }
        if (m.type == XsType.WATCH_EVENT.code) {
            events.add(m);
            return true;
        }
        return awaitEvent(timeoutMillis);
    }

    /** Starts a ring reconnection (connection word = RECONNECT) and waits for the daemon to answer CONNECTED. */
    public boolean reconnect(long timeoutMillis) throws InterruptedException {
        page.setConnection(RingLayout.RECONNECT);
        notifyDaemon();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (page.connection() != RingLayout.CONNECTED) {
            long seen = notificationCount();
            if (page.connection() == RingLayout.CONNECTED || System.nanoTime() > deadline) {
                break;
            }
            awaitNotification(seen, deadline);
        }
        in.clear();
        events.clear();
        return page.connection() == RingLayout.CONNECTED;
    }
}
