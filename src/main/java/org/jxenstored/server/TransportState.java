package org.jxenstored.server;

/**
 * What a connection's transport holds at a moment, for the operator's view of a stuck client
 * ({@code xenstore-control connections}, {@code xenbus}). Store thread only; figures a transport cannot know are 0.
 *
 * @param inputNeeded bytes still missing from the request being received (a whole header, 16, between requests)
 * @param inputPending bytes received (or in the request ring) and not yet served
 * @param outputPending bytes handed to the transport that the client has not taken yet (encoded output, the
 *     response ring's unread part, the socket's unsent buffer)
 * @param inputPaused whether no requests are taken now (too much output waits, no write credit, connection failed)
 * @param note what else the transport has to say (a ring error), or empty
 */
public record TransportState(int inputNeeded, long inputPending, long outputPending, boolean inputPaused,
        String note) {
    /** A transport that reports nothing. */
    public static final TransportState NONE = new TransportState(0, 0, 0, false, "");
}
