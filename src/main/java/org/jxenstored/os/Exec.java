package org.jxenstored.os;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Replacing the process image while keeping the pid and chosen file descriptors, as a live update does (libc
 * through JNA): {@link #prepare} marks every other descriptor close-on-exec, makes the handed-over ones inheritable
 * and blocking (what C's successor expects), and empties the signal mask (the JVM blocks some signals in its
 * threads, and the mask survives exec); {@link #execve} then replaces the image. When exec fails,
 * {@link Prepared#undo} puts the descriptors and the mask back, so the running daemon carries on.
 */
public final class Exec {
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int FD_CLOEXEC = 1;
    private static final int O_NONBLOCK = 04000;
    private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;
    private static final int SIG_SETMASK = 2;
    /** sizeof(sigset_t) in glibc. */
    private static final int SIGSET_BYTES = 128;

    /** The libc calls used. */
    interface LibC extends Library {
        int close_range(int first, int last, int flags);

        int fcntl(int fd, int cmd, Object... arg);

        int sigprocmask(int how, byte[] set, byte[] oldset);

        int execve(String path, String[] argv, String[] envp);
    }

    /** Loaded at first use (the holder idiom: a class is initialised once, when first touched). */
    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private Exec() {
    }

    private static LibC libc() {
        return Holder.LIBC;
    }

    /** What {@link #prepare} changed, to put back if exec fails. */
    public static final class Prepared {
        private final int[] fds;
        private final int[] fdFlags;
        private final int[] statusFlags;
        private byte[] oldMask;

        private Prepared(int[] fds) {
            this.fds = fds.clone();
            this.fdFlags = new int[fds.length];
            this.statusFlags = new int[fds.length];
        }

        /** Restores the handed-over descriptors' flags and the signal mask (the others stay close-on-exec). */
        public void undo() {
            for (int i = 0; i < fds.length; i++) {
                libc().fcntl(fds[i], F_SETFD, fdFlags[i]);
                libc().fcntl(fds[i], F_SETFL, statusFlags[i]);
            }
            if (oldMask != null) {
                libc().sigprocmask(SIG_SETMASK, oldMask, null);
            }
        }
    }

    /**
     * Readies the process for {@link #execve}: every descriptor from 3 up close-on-exec, then {@code inherited}
     * inheritable and blocking, then an empty signal mask. On failure nothing stays changed but the close-on-exec
     * marks, which matter only to an exec.
     */
    public static Prepared prepare(int[] inherited) throws IOException {
        return prepare(inherited, new int[0]);
    }

    /**
     * As {@link #prepare(int[])}, with {@code asTheyAre} inherited too but left blocking or not (a device whose
     * library set its flags: the event channel device).
     */
    public static Prepared prepare(int[] inherited, int[] asTheyAre) throws IOException {
        closeOnExecFrom3();
        int[] all = java.util.stream.IntStream.concat(java.util.Arrays.stream(inherited),
                java.util.Arrays.stream(asTheyAre)).toArray();
        Prepared p = new Prepared(all);
        try {
            for (int i = 0; i < all.length; i++) {
                int fd = all[i];
                p.fdFlags[i] = check(libc().fcntl(fd, F_GETFD), "F_GETFD", fd);
                p.statusFlags[i] = check(libc().fcntl(fd, F_GETFL), "F_GETFL", fd);
                check(libc().fcntl(fd, F_SETFD, p.fdFlags[i] & ~FD_CLOEXEC), "F_SETFD", fd);
                if (i < inherited.length) {
                    check(libc().fcntl(fd, F_SETFL, p.statusFlags[i] & ~O_NONBLOCK), "F_SETFL", fd);
                }
            }
            byte[] old = new byte[SIGSET_BYTES];
            if (libc().sigprocmask(SIG_SETMASK, new byte[SIGSET_BYTES], old) != 0) {
                throw new IOException("sigprocmask failed (errno " + Native.getLastError() + ")");
            }
            p.oldMask = old;
            return p;
        } catch (IOException e) {
            p.undo();
            throw e;
        }
    }

    /** close_range(3, ~0U, CLOSE_RANGE_CLOEXEC); where the kernel lacks it (before 5.11), one fcntl per descriptor. */
    private static void closeOnExecFrom3() throws IOException {
        if (libc().close_range(3, -1, CLOSE_RANGE_CLOEXEC) == 0) {
            return;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                int fd = Integer.parseInt(p.getFileName().toString());
                if (fd >= 3) {
                    int flags = libc().fcntl(fd, F_GETFD);
                    if (flags >= 0) {
                        libc().fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
                    }
                }
            }
        }
    }

    private static int check(int rc, String what, int fd) throws IOException {
        if (rc < 0) {
            throw new IOException("fcntl(" + fd + ", " + what + ") failed (errno " + Native.getLastError() + ")");
        }
        return rc;
    }

    /**
     * Replaces the process image with {@code path}. Returns only if that failed, with the errno.
     *
     * @param argv the new argv, its first element included
     * @param env the new environment
     */
    public static int execve(String path, List<String> argv, Map<String, String> env) {
        String[] envp = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        libc().execve(path, argv.toArray(String[]::new), envp);
        return Native.getLastError();
    }

    /** Sets or clears O_NONBLOCK on {@code fd} (an adopted descriptor must be non-blocking for Netty). */
    public static void setNonBlocking(int fd, boolean on) throws IOException {
        int flags = check(libc().fcntl(fd, F_GETFL), "F_GETFL", fd);
        check(libc().fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK), "F_SETFL", fd);
    }
}
