package org.jxenstored.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jxenstored.os.UnixSockets;

/**
 * What a daemon takes before it serves, so that a second start (Debian's {@code /etc/init.d/xen start} run by a
 * xen-utils upgrade, a second {@code launch-xenstore}, an operator) can neither take the socket over nor, when it
 * is stopped, remove what belongs to the running daemon:
 *
 * <ol>
 *   <li>the lock beside the socket ({@code SOCKET.lock}, holding the owner's pid), so that two jxenstoreds started
 *       at the same moment on one socket cannot both go on;
 *   <li>the socket must not answer: when a process listens there (a jxenstored, C xenstored, oxenstored) the start
 *       is refused, naming it;
 *   <li>the pid file, locked for the life of the process (C xenstored locks its pid file the same way). A pid file
 *       left by a process that died is not locked and is simply taken over.
 * </ol>
 *
 * Taken before the daemon log is set up (a refused start must not write to, or rotate, the running daemon's log
 * files). Each refusal is a {@link StartRefused}: one line for the operator, exit status 1.
 */
final class Ownership {
    private final Path socket;
    private PidFile socketLock;
    private PidFile pidFile;

    private Ownership(Path socket) {
        this.socket = socket;
    }

    /** The lock file beside {@code socket}. */
    static Path lockPathFor(Path socket) {
        Path abs = socket.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".lock");
    }

    /** Takes the socket's lock and the pid file (if any), after checking that nobody answers on the socket. */
    static Ownership claim(Path socket, Path pidFilePath) throws StartRefused {
        return claim(socket, pidFilePath, false);
    }

    /**
     * As {@link #claim(Path, Path)}; {@code socketInherited}: a live-update successor, which inherited the
     * listening socket across exec (same pid), so the socket answers with this very process.
     */
    static Ownership claim(Path socket, Path pidFilePath, boolean socketInherited) throws StartRefused {
        Ownership o = new Ownership(socket);
        boolean done = false;
        try {
            Path lock = lockPathFor(socket);
            try {
                o.socketLock = PidFile.lock(lock);
                o.socketLock.write(ProcessHandle.current().pid());
            } catch (PidFile.Held h) {
                UnixSockets.Probe probe = UnixSockets.probe(socket);
                if (probe.state() == UnixSockets.State.ANSWERS) {
                    throw answering(socket, probe);
                }
                throw new StartRefused(socket + " is being started by " + h.holder + " (it holds " + lock
                        + "); not starting another");
            } catch (IOException e) {
                throw StartRefused.of("cannot create the socket " + socket + " (its lock file)", e);
            }
            UnixSockets.Probe probe = UnixSockets.probe(socket);
            if (probe.state() == UnixSockets.State.ANSWERS && !(socketInherited && isThisProcess(probe))) {
                throw answering(socket, probe);
            }
            if (pidFilePath != null) {
                try {
                    o.pidFile = PidFile.lock(pidFilePath);
                } catch (PidFile.Held h) {
                    throw new StartRefused("the pid file " + pidFilePath.toAbsolutePath() + " is locked by "
                            + h.holder + ", a daemon that is running; not starting another");
                } catch (IOException e) {
                    throw StartRefused.of("cannot create the pid file " + pidFilePath.toAbsolutePath(), e);
                }
            }
            done = true;
            return o;
        } finally {
            if (!done) {
                o.release();
            }
        }
    }

    /** Whether the socket answering is this very process's. */
    private static boolean isThisProcess(UnixSockets.Probe probe) {
        return probe.pid() == ProcessHandle.current().pid();
    }

    /** The refusal when a process answers on the socket. */
    static StartRefused answering(Path socket, UnixSockets.Probe probe) {
        boolean jxenstored = probe.pid() > 0 && "jxenstored".equals(UnixSockets.processName(probe.pid()));
        return new StartRefused(socket + " is served by " + probe.who() + " already; not starting another "
                + "(it keeps serving; stop it first to replace it)", jxenstored);
    }

    Path socket() {
        return socket;
    }

    /** Writes the pid into the pid file (once ready). */
    void writePid(long pid) throws IOException {
        if (pidFile != null) {
            pidFile.write(pid);
        }
    }

    /**
     * Removes the pid file and the socket's lock file, each only if it is still the one this process locked, and
     * releases the locks. Idempotent.
     *
     * @return what could not be done, for the log
     */
    List<String> release() {
        List<String> problems = new ArrayList<>();
        if (pidFile != null) {
            String p = pidFile.release();
            if (p != null) {
                problems.add(p);
            }
            pidFile = null;
        }
        if (socketLock != null) {
            String p = socketLock.release();
            if (p != null) {
                problems.add(p);
            }
            socketLock = null;
        }
        return problems;
    }
}
