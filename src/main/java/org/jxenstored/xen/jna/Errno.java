package org.jxenstored.xen.jna;

import com.sun.jna.Native;
import java.io.IOException;
import java.util.Map;

/** Turns the errno of a failed native call into an {@link IOException} whose message names it. */
final class Errno {
    /** Linux errno values (the same on x86-64 and arm64) of the failures these calls report. */
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"), Map.entry(4, "EINTR"),
            Map.entry(5, "EIO"), Map.entry(6, "ENXIO"), Map.entry(9, "EBADF"), Map.entry(11, "EAGAIN"),
            Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"), Map.entry(16, "EBUSY"),
            Map.entry(17, "EEXIST"), Map.entry(19, "ENODEV"), Map.entry(20, "ENOTDIR"), Map.entry(21, "EISDIR"),
            Map.entry(22, "EINVAL"), Map.entry(23, "ENFILE"), Map.entry(24, "EMFILE"), Map.entry(25, "ENOTTY"),
            Map.entry(28, "ENOSPC"), Map.entry(38, "ENOSYS"), Map.entry(95, "EOPNOTSUPP"));

    /** Where strerror comes from; null when libc could not be bound (the number and name still help). */
    private static volatile LibC libc;

    private Errno() {
    }

    static void useLibC(LibC c) {
        libc = c;
    }

    /** The errno of the last native call on this thread. Read it right after the failed call. */
    static int last() {
        return Native.getLastError();
    }

    /** "No such file or directory (ENOENT, errno 2)". */
    static String describe(int errno) {
        String name = NAMES.getOrDefault(errno, "errno");
        String text = null;
        LibC c = libc;
        if (c != null) {
            try {
                text = c.strerror(errno);
            } catch (RuntimeException | LinkageError e) {
                text = null;
            }
        }
        String code = name.equals("errno") ? "errno " + errno : name + ", errno " + errno;
        return text == null || text.isEmpty() ? code : text + " (" + code + ")";
    }

    /** An exception for {@code call} that failed with {@code errno}: "xenevtchn_open: No such file ... (ENOENT, ...)". */
    static IOException failure(String call, int errno) {
        return new IOException(call + " failed: " + describe(errno));
    }

    /** As {@link #failure(String, int)} with the errno of the last native call on this thread. */
    static IOException lastFailure(String call) {
        return failure(call, last());
    }
}
