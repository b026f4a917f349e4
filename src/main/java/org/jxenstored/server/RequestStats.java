package org.jxenstored.server;

/**
 * Sees every request served: its type, whether it was answered with an error, and how long serving it took. The
 * hook of the request statistics (latency histograms per type, installed by the composition root). Called on the
 * store thread for every request: an implementation must not allocate, block or throw.
 */
@FunctionalInterface
public interface RequestStats {
    RequestStats NONE = (type, error, nanos) -> { };

    /**
     * A request was served.
     *
     * @param type the request's wire type code (any value a client sent, also undefined ones)
     * @param error whether the answer was an ERROR reply
     * @param nanos from the start of serving to the reply handed to the transport (or queued for it)
     */
    void served(int type, boolean error, long nanos);
}
