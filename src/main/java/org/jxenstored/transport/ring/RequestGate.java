package org.jxenstored.transport.ring;

import org.jxenstored.protocol.XsMessage;

/** Decides when a ring connection may serve its next request (write-rate limiting, XSA-206). */
public interface RequestGate {
    /** Always open. */
    RequestGate OPEN = new RequestGate() {
        @Override
        public long waitNanos(long now) {
            return 0;
        }

        @Override
        public void served(XsMessage request, long now) {
        }
    };

    /** 0 when the next request may be served now, else how long to wait. */
    long waitNanos(long now);

    /** A request was served (a change costs credit). */
    void served(XsMessage request, long now);

    /** The credit left now, for a restart to take over; NaN when this gate keeps none. */
    default double credit(long now) {
        return Double.NaN;
    }

    /** Takes over the credit a predecessor had (a restart: no credit is earned by the outage). */
    default void restoreCredit(double credit, long now) {
    }
}
