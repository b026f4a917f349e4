package org.jxenstored.xen.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo mode's guests: each boots the way a PV guest's xenbus does (reads its domid's home, announces itself),
 * keeps a heartbeat under {@code data/heartbeat} and watches {@code control/shutdown}; writing {@code poweroff}
 * there makes it leave. Lets an operator try the daemon's ring path with the real {@code xenstore-*} tools.
 */
public final class SimDemo {
    private static final Logger LOG = LoggerFactory.getLogger(SimDemo.class);

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /** Starts the activity of an introduced guest. */
    public void run(SimGuest guest) {
        Thread t = new Thread(() -> live(guest), "demo-guest-" + guest.domid());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void live(SimGuest g) {
        try {
            request(g, XsType.WRITE, "data/status\0booted");
            request(g, XsType.WATCH, "control/shutdown\0shutdown\0");
            long beat = 0;
            while (!stopped) {
                request(g, XsType.WRITE, "data/heartbeat\0" + beat++);
                if (g.awaitEvent(1000)) {
                    for (XsMessage e : g.events()) {
                        LOG.debug("demo guest {}: event {}", g.domid(), e);
                    }
                    g.events().clear();
                    String cmd = request(g, XsType.READ, "control/shutdown\0");
                    if ("poweroff".equals(cmd)) {
                        request(g, XsType.WRITE, "data/status\0shutting down");
                        LOG.info("demo guest {} leaves", g.domid());
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("demo guest {} stopped: {}", g.domid(), e.toString());
        }
    }

    private static String request(SimGuest g, XsType type, String payload) throws InterruptedException {
        XsMessage reply = g.request(type, 0, payload.getBytes(StandardCharsets.ISO_8859_1));
        if (reply == null) {
            throw new IllegalStateException("no reply from the daemon");
        }
        String text = new String(reply.payload, StandardCharsets.ISO_8859_1);
        return reply.type == XsType.ERROR.code ? "" : text.replace("\0", "");
    }

    public void stop() {
        stopped = true;
        for (Thread t : threads) {
            t.interrupt();
        }
    }

    static byte[] nul(String... parts) {
        return Payload.nulTerminated(parts);
    }
}
