package org.jxenstored.logging;

import ch.qos.logback.core.rolling.RollingFileAppender;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A size-rotated log file that is created with mode 0600 (read and write for its owner only), whatever the umask:
 * the access log holds what guests wrote into the store (values, paths, tokens), which other users of Dom0 must not
 * read. Every file the appender opens goes through {@link #openFile}: the first open, the new file after a rotation
 * and the reopening after SIGHUP (logrotate moved the file away). A file that exists already keeps its mode (the
 * operator's choice, or an older version's file); the rotated files FILE.1 ... FILE.n are renamed, so they keep
 * the mode they were created with.
 */
final class PrivateRollingFileAppender<E> extends RollingFileAppender<E> {
    /** rw-------. */
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");

    @Override
    public void openFile(String fileName) throws IOException {
        createPrivate(Path.of(fileName));
        super.openFile(fileName);
    }

    /**
     * Creates {@code file} empty with mode 0600 unless it exists (then nothing changes). Missing parent directories
     * are created as logback would create them.
     */
    static void createPrivate(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(MODE));
        } catch (FileAlreadyExistsException e) {
            // kept as it is: appended to
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: logback creates the file as it would anyway
        }
    }
}
