package org.jxenstored.os;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The few AF_UNIX operations Java's channels do not offer, through libc (JNA): whether something listens on a
 * stream socket path and which process it is (SO_PEERCRED), and sending one datagram (sd_notify, syslog).
 * Nothing here logs: it runs before the daemon log is set up.
 */
public final class UnixSockets {
    static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 04000;
    static final int SOCK_CLOEXEC = 02000000;
    static final int MSG_NOSIGNAL = 0x4000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final int EAGAIN = 11;
    /** sizeof(struct sockaddr_un) on Linux: sa_family_t + 108 bytes of path. */
    private static final int SUN_PATH_MAX = 108;

    /** The libc calls used. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int connect(int fd, byte[] addr, int addrlen);

        int getsockopt(int fd, int level, int option, byte[] value, IntByReference len);

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen);

        int bind(int fd, byte[] addr, int addrlen);

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags);

        int shutdown(int fd, int how);

        int close(int fd);
    }

    private static volatile LibC libc;

    private UnixSockets() {
    }

    static LibC libc() {
        LibC l = libc;
        if (l == null) {
            l = Native.load("c", LibC.class);
            libc = l;
        }
        return l;
    }

    /** What is at a socket path. */
    public enum State {
        /** Nothing there. */
        ABSENT,
        /** A file nobody listens on (a daemon that died without removing its socket), or not a socket at all. */
        STALE,
        /** A process listens there (it accepted, or its backlog is full). */
        ANSWERS,
        /** Could not tell (no libc, permission denied, ...). */
        UNKNOWN
    }

    /**
     * The result of {@link #probe}: the state, and for {@link State#ANSWERS} the listening process's pid as the
     * kernel recorded it at listen() (0 when unknown, e.g. a process in another pid namespace).
     */
    public record Probe(State state, long pid, String detail) {
        /** "process 1234 (jxenstored)", or "a process" when the pid is unknown. */
        public String who() {
            if (pid <= 0) {
                return "a process";
            }
            String name = processName(pid);
            return "process " + pid + (name == null ? "" : " (" + name + ")");
        }
    }

    /**
     * Connects to the stream socket at {@code path} without blocking and disconnects at once: tells whether a
     * daemon answers there, and which process it is. The usual case (nothing there, or a stale file) needs no
     * native code; only a socket that answers is asked for its owner (SO_PEERCRED, through libc).
     */
    public static Probe probe(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return new Probe(State.ABSENT, 0, "no such file");
        }
        Path abs = path.toAbsolutePath();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.configureBlocking(false);
            // true: accepted into the backlog; false: the backlog is full (a listener, busy): both answer
            ch.connect(UnixDomainSocketAddress.of(abs));
        } catch (ConnectException e) {
            return new Probe(State.STALE, 0, "nobody listens");
        } catch (IOException | RuntimeException e) {
            if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return new Probe(State.ABSENT, 0, "no such file");
            }
            return new Probe(State.UNKNOWN, 0, e.toString());
        }
        return new Probe(State.ANSWERS, listenerPid(abs), "answers");
    }

    /** The pid of the process listening on {@code path} (connects once more, through libc), or 0. */
    private static long listenerPid(Path path) {
        byte[] addr = sockaddr(path.toString());
        if (addr == null) {
            return 0;
        }
        LibC c;
        try {
            c = libc();
        } catch (UnsatisfiedLinkError e) {
            return 0;
        }
        int fd = c.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return 0;
        }
        try {
            if (c.connect(fd, addr, addr.length) != 0 && Native.getLastError() != EAGAIN) {
                return 0;
            }
            return peerPid(c, fd);
        } finally {
            c.close(fd);
        }
    }

    private static long peerPid(LibC c, int fd) {
        byte[] ucred = new byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        IntByReference len = new IntByReference(ucred.length);
        if (c.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, len) != 0 || len.getValue() < 4) {
            return 0;
        }
        return ByteBuffer.wrap(ucred).order(ByteOrder.nativeOrder()).getInt(0);
    }

    /** The process's name (/proc/PID/comm), or null. */
    public static String processName(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Sends one datagram to the AF_UNIX datagram socket {@code address} (a path, or an abstract name starting with
     * '@').
     *
     * @return null when sent, else why not
     */
    public static String sendDatagram(String address, byte[] message) {
        byte[] addr = sockaddr(address);
        if (addr == null) {
            return address + " is not a usable AF_UNIX address";
        }
        LibC c;
        try {
            c = libc();
        } catch (UnsatisfiedLinkError e) {
            return "cannot load libc: " + e.getMessage();
        }
        int fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return "socket(AF_UNIX, SOCK_DGRAM) failed (errno " + Native.getLastError() + ")";
        }
        try {
            long n = c.sendto(fd, message, new NativeLong(message.length), MSG_NOSIGNAL, addr, addr.length)
                    .longValue();
            return n == message.length ? null : "sendto " + address + " failed (errno " + Native.getLastError() + ")";
        } finally {
            c.close(fd);
        }
    }

    /**
     * struct sockaddr_un for {@code path} ('@' = abstract namespace), trimmed to its used length; null if invalid
     * (empty, relative, or too long).
     */
    public static byte[] sockaddr(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = p.length > 0 && p[0] == '@';
        if (p.length == 0 || p.length > SUN_PATH_MAX - (abstractName ? 0 : 1) || (!abstractName && p[0] != '/')) {
            return null;
        }
        // sa_family_t in host byte order, then the path (NUL-terminated unless abstract)
        int len = 2 + p.length + (abstractName ? 0 : 1);
        byte[] addr = new byte[len];
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        addr[little ? 0 : 1] = (byte) AF_UNIX;
        System.arraycopy(p, 0, addr, 2, p.length);
        if (abstractName) {
            addr[2] = 0;
        }
        return addr;
    }
}
