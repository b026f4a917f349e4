package org.jxenstored.control;

/**
 * The file descriptors a live-update successor inherits: the listening socket, the socket connections, the
 * event-channel device. The composition root collects them from the transports and the platform.
 */
@FunctionalInterface
public interface InheritedFds {
    int[] fds();
}
