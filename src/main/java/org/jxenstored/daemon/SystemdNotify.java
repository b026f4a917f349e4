package org.jxenstored.daemon;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) without libsystemd: sends a state string ({@code READY=1}, {@code STATUS=...},
 * {@code STOPPING=1}) as one datagram to the AF_UNIX socket named by {@code $NOTIFY_SOCKET} (a path, or an
 * abstract socket when it starts with '@'). Does nothing when the variable is unset.
 */
public final class SystemdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(struct sockaddr_un) on Linux: sa_family_t + 108 bytes of path. */
    private static final int SUN_PATH_MAX = 108;

    /** The few libc calls used (JNA direct mapping). */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen);

        int close(int fd);
    }

    private final String socket;

    private SystemdNotify(String socket) {
        this.socket = socket;
    }

    /** The notifier for this environment: null when {@code NOTIFY_SOCKET} is unset or empty. */
    public static SystemdNotify fromEnvironment(Map<String, String> env) {
        String s = env.get("NOTIFY_SOCKET");
        return s == null || s.isEmpty() ? null : new SystemdNotify(s);
    }

    public String socket() {
        return socket;
    }

    /**
     * Sends {@code state} (newline-separated assignments).
     *
     * @return whether the datagram was sent
     */
    public boolean send(String state) {
        byte[] addr = sockaddr(socket);
        if (addr == null) {
            LOG.warn("NOTIFY_SOCKET={} is not a usable AF_UNIX address; not notifying systemd", socket);
            return false;
        }
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            LOG.warn("cannot load libc to notify systemd: {}", e.toString());
            return false;
        }
        int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            LOG.warn("socket(AF_UNIX, SOCK_DGRAM) failed (errno {}); not notifying systemd", Native.getLastError());
            return false;
        }
        try {
            byte[] msg = state.getBytes(StandardCharsets.UTF_8);
            long n = libc.sendto(fd, msg, new NativeLong(msg.length), MSG_NOSIGNAL, addr, addr.length).longValue();
            if (n != msg.length) {
                LOG.warn("notifying systemd at {} failed (errno {})", socket, Native.getLastError());
                return false;
            }
            LOG.debug("notified systemd: {}", state.replace('\n', ' '));
            return true;
        } finally {
            libc.close(fd);
        }
    }

    /** struct sockaddr_un for {@code path} ('@' = abstract namespace), trimmed to its used length; null if invalid. */
    static byte[] sockaddr(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = p.length > 0 && p[0] == '@';
        if (p.length == 0 || p.length > SUN_PATH_MAX - (abstractName ? 0 : 1) || (!abstractName && p[0] != '/')) {
            return null;
        }
        // sa_family_t in host byte order, then the path (NUL-terminated unless abstract)
        int len = 2 + p.length + (abstractName ? 0 : 1);
        byte[] addr = new byte[len];
        boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
        addr[little ? 0 : 1] = (byte) AF_UNIX;
        System.arraycopy(p, 0, addr, 2, p.length);
        if (abstractName) {
            addr[2] = 0;
        }
        return addr;
    }
}
