package org.jxenstored.domain;

import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.transport.ring.RequestGate;

/**
 * A token bucket per unprivileged domain (XSA-206, C xenstored's write-rate limiting): every change a domain makes
 * (WRITE, MKDIR, RM, SET_PERMS, a transaction commit) costs one token; tokens come back at {@code rate} per second
 * up to {@code burst}. A domain in debt is not served until it has credit again: its requests wait in its ring,
 * so a guest writing in a loop cannot make the toolstack's transactions fail forever, and nobody else waits.
 */
final class WriteCredit implements RequestGate {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long updated;

    WriteCredit(int ratePerSecond, int burst, long now) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.updated = now;
    }

    private void refill(long now) {
        tokens = Math.min(burst, tokens + (now - updated) * ratePerNano);
        updated = now;
    }

    @Override
    public long waitNanos(long now) {
        refill(now);
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerNano);
    }

    @Override
    public void served(XsMessage request, long now) {
        if (isChange(request)) {
            refill(now);
            tokens -= 1;
        }
    }

    @Override
    public double credit(long now) {
        refill(now);
        return tokens;
    }

    @Override
    public void restoreCredit(double credit, long now) {
        tokens = Math.min(burst, credit);
        updated = now;
    }

    static boolean isChange(XsMessage m) {
        XsType t = m.knownType();
        return t != null && t.changesStore;
    }
}
