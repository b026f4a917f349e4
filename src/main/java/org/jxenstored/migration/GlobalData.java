package org.jxenstored.migration;

/**
 * GLOBAL_DATA ({@code xs_state_global}, 8 bytes): the file descriptors a live-update successor inherits. C writes
 * it first, and C 4.17's reader needs it first: it opens the event channel handle from {@code evtchnFd}.
 *
 * @param socketFd the listening Unix socket ({@code rw-socket-fd}), -1 when there is none
 * @param evtchnFd the event channel driver's fd ({@code /dev/xen/evtchn}), -1 when there is none
 */
public record GlobalData(int socketFd, int evtchnFd) implements MigrationRecord {
    public GlobalData {
        if (socketFd < -1) {
            throw new IllegalArgumentException("socket fd " + socketFd);
        }
        if (evtchnFd < -1) {
            throw new IllegalArgumentException("event channel fd " + evtchnFd);
        }
    }

    @Override
    public int type() {
        return RecordType.GLOBAL_DATA;
    }

    @Override
    public String toString() {
        return "GLOBAL socket_fd=" + socketFd + " evtchn_fd=" + evtchnFd;
    }
}
