package org.jxenstored.daemon;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) without libsystemd: sends a state string ({@code READY=1}, {@code STATUS=...},
 * {@code STOPPING=1}) as one datagram to the AF_UNIX socket named by {@code $NOTIFY_SOCKET} (a path, or an
 * abstract socket when it starts with '@'), through Netty's native Unix socket (no native code of our own). Does
 * nothing when the variable is unset.
 */
public final class SystemdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
    /** The length of sockaddr_un's sun_path on Linux. */
    private static final int SUN_PATH_MAX = 108;

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
        byte[] path = sunPath(socket);
        if (path == null) {
            LOG.warn("NOTIFY_SOCKET={} is not a usable AF_UNIX address; not notifying systemd", socket);
            return false;
        }
        if (!Epoll.isAvailable()) {
            LOG.warn("no native Unix socket support ({}); not notifying systemd", Epoll.unavailabilityCause());
            return false;
        }
        byte[] msg = state.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocateDirect(msg.length).put(msg).flip();
        Socket s = Socket.newSocketDomainDgram();
        try {
            int n = s.sendToDomainSocket(buf, 0, msg.length, path);
            if (n != msg.length) {
                LOG.warn("notifying systemd at {}: {} of {} bytes sent", socket, n, msg.length);
                return false;
            }
            LOG.debug("notified systemd: {}", state.replace('\n', ' '));
            return true;
        } catch (IOException e) {
            LOG.warn("notifying systemd at {} failed: {}", socket, e.getMessage());
            return false;
        } finally {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing the notification socket: {}", e.getMessage());
            }
        }
    }

    /** sun_path for {@code path}: the path, or for '@' the abstract name after a NUL; null if invalid. */
    static byte[] sunPath(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = p.length > 0 && p[0] == '@';
        if (p.length == 0 || p.length > SUN_PATH_MAX - (abstractName ? 0 : 1) || (!abstractName && p[0] != '/')) {
            return null;
        }
        if (abstractName) {
            p[0] = 0;
        }
        return p;
    }
}
