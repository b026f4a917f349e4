package org.jxenstored.watch;

import org.jxenstored.store.Caller;

/** Whoever registered watches: a connection. Events are judged against its identity. */
public interface Watcher extends Caller {
    /** Queues a WATCH_EVENT for this watcher (the payload is {@code path\0token\0}). */
    void sendEvent(byte[] payload);
}
