package org.jxenstored.control;

/**
 * The last step of a live update: hands the daemon over to the new binary (state dump, file descriptors, exec).
 * Runs on the store thread once the update may go ahead.
 */
@FunctionalInterface
public interface Handover {
    /** C's answer when exec fails (lu_daemon.c). */
    String EXEC_FAILED = "Error activating new binary.";

    /** Without a way to hand over (no exec in this set-up): every update fails as a failed exec does. */
    Handover NONE = request -> EXEC_FAILED;

    /**
     * Hands over. It returns only when that failed, and then with the running daemon unchanged and in charge: the
     * return value is the reply to {@code -s} (C's text of the failure). A stand-in for tests may return
     * {@code "OK"}, the answer the successor would send.
     */
    String handOver(HandoverRequest request);
}
