package org.jxenstored.xen.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The few libc calls the binding needs: mmap of {@code /proc/xen/xsd_kva}, poll on the event channel fd with a wake-up
 * pipe, and error texts. {@code size_t}, {@code ssize_t}, {@code off_t} and {@code nfds_t} are mapped to
 * {@code long}: the binding refuses to run on a platform where they are not 64 bits wide (see
 * {@link XenLibraries#checkDataModel()}).
 */
interface LibC extends Library {
    int PROT_READ = 0x1;
    int PROT_WRITE = 0x2;
    int MAP_SHARED = 0x01;
    int O_RDWR = 02;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    short POLLIN = 0x001;
    short POLLERR = 0x008;
    short POLLHUP = 0x010;
    short POLLNVAL = 0x020;
    /** {@code sizeof(struct pollfd)}: {@code int fd; short events; short revents;}. */
    int POLLFD_SIZE = 8;
    int POLLFD_EVENTS = 4;
    int POLLFD_REVENTS = 6;

    int EINTR = 4;
    int EAGAIN = 11;

    /** {@code MAP_FAILED}. */
    long MAP_FAILED = -1L;

    int open(String path, int flags);

    int close(int fd);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    int pipe2(int[] fds, int flags);

    long read(int fd, Pointer buf, long count);

    long write(int fd, Pointer buf, long count);

    int poll(Pointer fds, long nfds, int timeoutMillis);

    String strerror(int errnum);
}
