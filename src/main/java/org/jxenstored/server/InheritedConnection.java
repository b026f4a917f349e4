package org.jxenstored.server;

/**
 * A connection a live-update predecessor handed over (its socket inherited across exec), taken over by the
 * transport and not read from until {@link #resume()}: the successor first restores what the connection had.
 */
public interface InheritedConnection {
    Connection connection();

    /** Bytes the predecessor read and did not serve (requests held for after the update): served as if just read. */
    void received(byte[] bytes);

    /** Bytes the predecessor had not sent yet (replies and events, its reply to the update last): sent first. */
    void send(byte[] bytes);

    /** Starts reading the connection. */
    void resume();
}
