package org.jxenstored.daemon;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;

/**
 * A bound AF_UNIX datagram socket, standing in for systemd's notification socket in tests (Java's own channels do
 * not do Unix datagrams). {@code name} is a path, or an abstract name starting with '@'.
 */
public final class DatagramReceiver implements AutoCloseable {
    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] addr, int addrlen);

        int setsockopt(int fd, int level, int option, byte[] value, int len);

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags);

        int close(int fd);
    }

    private static final LibC LIBC = Native.load("c", LibC.class);
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    private final int fd;
    private final String name;

    public DatagramReceiver(String name) {
        this.name = name;
        fd = LIBC.socket(1, 2, 0);
        if (fd < 0) {
            throw new IllegalStateException("socket failed: errno " + Native.getLastError());
        }
        byte[] addr = SystemdNotify.sockaddr(name);
        if (addr == null || LIBC.bind(fd, addr, addr.length) != 0) {
            int errno = Native.getLastError();
            LIBC.close(fd);
            throw new IllegalStateException("bind " + name + " failed: errno " + errno);
        }
    }

    public String name() {
        return name;
    }

    /** The next datagram, or null after {@code timeoutMillis}. */
    public String receive(long timeoutMillis) {
        byte[] tv = new byte[16]; // struct timeval on LP64, little-endian
        long sec = timeoutMillis / 1000;
        long usec = (timeoutMillis % 1000) * 1000;
        for (int i = 0; i < 8; i++) {
            tv[i] = (byte) (sec >>> (8 * i));
            tv[8 + i] = (byte) (usec >>> (8 * i));
        }
        LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.length);
        byte[] buf = new byte[4096];
        long n = LIBC.recv(fd, buf, new NativeLong(buf.length), 0).longValue();
        return n < 0 ? null : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        LIBC.close(fd);
    }
}
