package org.jxenstored.daemon;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jxenstored.os.UnixSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) without libsystemd: sends a state string ({@code READY=1}, {@code STATUS=...},
 * {@code STOPPING=1}) as one datagram to the AF_UNIX socket named by {@code $NOTIFY_SOCKET} (a path, or an
 * abstract socket when it starts with '@'). Does nothing when the variable is unset.
 */
public final class SystemdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);

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
        String problem = UnixSockets.sendDatagram(socket, state.getBytes(StandardCharsets.UTF_8));
        if (problem != null) {
            LOG.warn("not notifying systemd at NOTIFY_SOCKET={}: {}", socket, problem);
            return false;
        }
        LOG.debug("notified systemd: {}", state.replace('\n', ' '));
        return true;
    }

    /** struct sockaddr_un for {@code path} ('@' = abstract namespace), trimmed to its used length; null if invalid. */
    static byte[] sockaddr(String path) {
        return UnixSockets.sockaddr(path);
    }
}
