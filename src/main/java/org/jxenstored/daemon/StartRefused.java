package org.jxenstored.daemon;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The daemon will not start, for a reason an operator can act on (another daemon owns the socket or the pid file,
 * a directory is read-only, ...). Main prints the message as one line, without a stack trace, and exits 1.
 */
public final class StartRefused extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whether a jxenstored already serves the socket: then "start" has nothing to do and succeeds (LSB). */
    private final boolean alreadyRunning;

    public StartRefused(String message) {
        this(message, false);
    }

    StartRefused(String message, boolean alreadyRunning) {
        super(message, null, false, false);
        this.alreadyRunning = alreadyRunning;
    }

    public boolean alreadyRunning() {
        return alreadyRunning;
    }

    /** {@code what: the error as the C library would say it}, e.g. "cannot create the pid file /x: Read-only file system". */
    public static StartRefused of(String what, IOException e) {
        return new StartRefused(what + ": " + describe(e));
    }

    /**
     * An I/O error as one readable phrase: Java's file system exceptions carry the file and, for some errors,
     * only their class name ({@code AccessDeniedException: /x}): give the reason as strerror would.
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            String reason = f.getReason();
            if (reason == null) {
                if (e instanceof AccessDeniedException) {
                    reason = "Permission denied";
                } else if (e instanceof NoSuchFileException) {
                    reason = "No such file or directory";
                } else if (e instanceof NotDirectoryException) {
                    reason = "Not a directory";
                } else if (e instanceof FileAlreadyExistsException) {
                    reason = "File exists";
                } else if (e instanceof DirectoryNotEmptyException) {
                    reason = "Directory not empty";
                } else {
                    reason = e.getClass().getSimpleName();
                }
            }
            StringBuilder sb = new StringBuilder();
            if (f.getFile() != null) {
                sb.append(f.getFile());
                if (f.getOtherFile() != null) {
                    sb.append(" -> ").append(f.getOtherFile());
                }
                sb.append(": ");
            }
            return sb.append(reason).toString();
        }
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
