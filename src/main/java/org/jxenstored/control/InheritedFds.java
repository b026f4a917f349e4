package org.jxenstored.control;

/**
 * The file descriptors a live-update successor inherits: the listening socket and the socket connections, which
 * are made blocking (C's successor reads them so), and devices (the event channel device), whose flags stay. The
 * composition root collects them from the transports and the platform, after the state was written.
 */
@FunctionalInterface
public interface InheritedFds {
    Fds fds();

    /** Sockets, made blocking for the successor; devices, handed over as they are. */
    record Fds(int[] sockets, int[] devices) {
    }
}
