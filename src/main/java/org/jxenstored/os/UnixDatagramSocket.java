package org.jxenstored.os;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An AF_UNIX datagram socket through libc (Java's channels have no Unix datagrams): bound to a path to receive, or
 * unbound to send only. Sends never block: a datagram the receiver cannot take now (nobody bound, queue full) is
 * dropped and reported as such, which is what a notification channel wants.
 */
public final class UnixDatagramSocket implements AutoCloseable {
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SHUT_RDWR = 2;
    private static final int EINTR = 4;
    private static final int ECONNREFUSED = 111;

    private final int fd;
    private final Path path;
    private volatile boolean shut;
    private boolean closed;

    private UnixDatagramSocket(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /** A socket that only sends. */
    public static UnixDatagramSocket unbound() throws IOException {
        return new UnixDatagramSocket(open(), null);
    }

    /**
     * A socket bound to {@code path}. A file left there by a process that died is replaced; a socket another
     * process is bound to is not: that is an {@link IOException}.
     */
    public static UnixDatagramSocket bind(Path path) throws IOException {
        byte[] addr = address(path);
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (someoneBound(addr)) {
                throw new IOException("a process is bound to " + path + " already");
            }
            Files.delete(path);
        }
        int fd = open();
        if (UnixSockets.libc().bind(fd, addr, addr.length) != 0) {
            int errno = Native.getLastError();
            UnixSockets.libc().close(fd);
            throw new IOException("bind " + path + " failed (errno " + errno + ")");
        }
        return new UnixDatagramSocket(fd, path);
    }

    private static int open() throws IOException {
        int fd;
        try {
            fd = UnixSockets.libc().socket(UnixSockets.AF_UNIX, UnixSockets.SOCK_DGRAM | UnixSockets.SOCK_CLOEXEC, 0);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("cannot load libc: " + e.getMessage(), e);
        }
        if (fd < 0) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed (errno " + Native.getLastError() + ")");
        }
        return fd;
    }

    private static byte[] address(Path path) throws IOException {
        byte[] addr = UnixSockets.sockaddr(path.toAbsolutePath().toString());
        if (addr == null) {
            throw new IOException(path + " is not a usable AF_UNIX address (longer than 107 bytes?)");
        }
        return addr;
    }

    /** Whether a live socket is bound at {@code addr}: connect() is refused on a file nobody is bound to. */
    private static boolean someoneBound(byte[] addr) throws IOException {
        int probe = open();
        try {
            return UnixSockets.libc().connect(probe, addr, addr.length) == 0
                    || Native.getLastError() != ECONNREFUSED;
        } finally {
            UnixSockets.libc().close(probe);
        }
    }

    /** The path bound, or null for a send-only socket. */
    public Path path() {
        return path;
    }

    /**
     * Sends one datagram to the socket bound at {@code to}, without blocking.
     *
     * @return false when it was dropped: nobody is bound there, its queue is full, or this socket is closed
     */
    public synchronized boolean send(Path to, byte[] message) {
        if (closed) {
            return false;
        }
        byte[] addr = UnixSockets.sockaddr(to.toAbsolutePath().toString());
        if (addr == null) {
            return false;
        }
        long n = UnixSockets.libc().sendto(fd, message, new NativeLong(message.length),
                MSG_DONTWAIT | UnixSockets.MSG_NOSIGNAL, addr, addr.length).longValue();
        return n == message.length;
    }

    /**
     * Waits for the next datagram and copies it into {@code buffer}.
     *
     * @return its length, or -1 once {@link #shutdown()} was called
     */
    public int receive(byte[] buffer) throws IOException {
        while (!shut) {
            long n = UnixSockets.libc().recv(fd, buffer, new NativeLong(buffer.length), 0).longValue();
            if (n > 0) {
                return (int) n;
            }
            if (n < 0 && Native.getLastError() != EINTR && !shut) {
                throw new IOException("recv on " + path + " failed (errno " + Native.getLastError() + ")");
            }
            // 0: an empty datagram, or the wake-up of shutdown()
        }
        return -1;
    }

    /** Ends a {@link #receive} in progress in another thread (a blocked recv() returns), and every later one. */
    public void shutdown() {
        shut = true;
        UnixSockets.libc().shutdown(fd, SHUT_RDWR);
    }

    /**
     * Shuts down, closes the descriptor and removes the bound path. No thread may still be in {@link #receive}
     * (call {@link #shutdown()} and let it return first): its descriptor number could be reused.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdown();
        UnixSockets.libc().close(fd);
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a stale file is replaced by the next bind
            }
        }
    }
}
