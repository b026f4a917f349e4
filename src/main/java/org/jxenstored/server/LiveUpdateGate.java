package org.jxenstored.server;

/**
 * Whether a live update is pending: then a TRANSACTION_START from a connection without open transactions is held
 * until the update has happened or ended (C's {@code consider_message}), so that the update is not kept waiting
 * by transactions that started after it was asked for. The control layer installs it ({@link Server#setLiveUpdate}).
 */
@FunctionalInterface
public interface LiveUpdateGate {
    /** No live update, ever. */
    LiveUpdateGate NONE = () -> false;

    boolean pending();
}
