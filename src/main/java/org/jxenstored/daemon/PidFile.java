package org.jxenstored.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A pid file held under an exclusive lock for the life of the process: the lock (fcntl F_SETLK, what Java's
 * {@link FileChannel#tryLock()} takes on Linux, and what C xenstored's lockf takes on its pid file) is what says
 * "a daemon owns this", so a pid file left by a process that died blocks nobody, and two daemons can never both
 * believe they own one. The file is removed at release only while it is still the one this process locked.
 *
 * <p>Taking the lock follows the usual protocol for lock files that are removed by their owner: after locking,
 * the path must still name the file that was opened (else the previous owner removed it in between, and the lock
 * is on a file nobody can see: try again).
 *
 * <p>Nothing here logs: pid files are taken before the daemon log is set up.
 */
final class PidFile {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final Object fileKey;

    private PidFile(Path path, FileChannel channel, FileLock lock, Object fileKey) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
    }

    /** Another process holds the lock: {@link #holder} is what it wrote in the file ("1234 (jxenstored)"). */
    static final class Held extends Exception {
        private static final long serialVersionUID = 1L;
        final String holder;

        Held(String holder) {
            super(holder, null, false, false);
            this.holder = holder;
        }
    }

    /**
     * Opens (creating it and its directory if needed) and locks {@code path}, and empties it.
     *
     * @throws Held when another process holds the lock
     * @throws IOException when the file cannot be created or locked (a read-only directory, ...)
     */
    static PidFile lock(Path path) throws Held, IOException {
        Path p = path.toAbsolutePath();
        Path dir = p.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            Object before = fileKey(p);
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                ch.close();
                throw new Held("this process (" + ProcessHandle.current().pid() + ")");
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (lock == null) {
                String holder = readPid(ch);
                ch.close();
                throw new Held(holder == null ? "another process" : "process " + holder + describe(holder));
            }
            Object after = fileKey(p);
            // Either the path named the same file before opening and after locking, or it did not exist before
            // (then only a process that also created it could have locked it, and we hold that lock).
            if (after != null && (before == null || before.equals(after))) {
                if (!String.valueOf(ProcessHandle.current().pid()).equals(readPid(ch))) {
                    ch.truncate(0); // another process's: not true until we write ours
                } // else this process's, before a live update's exec: right all along, never empty
                return new PidFile(p, ch, lock, after);
            }
            ch.close(); // the previous owner removed it between our open and our lock: try again
        }
        throw new IOException(p + " keeps being replaced by another process");
    }

    private static String describe(String pid) {
        try {
            String comm = Files.readString(Path.of("/proc", pid, "comm")).strip();
            return " (" + comm + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String readPid(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            return s.matches("\\d{1,10}") ? s : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The file's identity (device and inode), or null when it does not exist. */
    static Object fileKey(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    Path path() {
        return path;
    }

    /** Replaces the content with {@code pid} and a newline. */
    void write(long pid) throws IOException {
        byte[] b = (pid + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(b), 0);
        channel.force(false);
    }

    /**
     * Removes the file if it is still the one locked here (never one another process put in its place), then
     * releases the lock.
     *
     * @return null when done, else what could not be done
     */
    String release() {
        String problem = null;
        try {
            Object now = fileKey(path);
            if (now == null) {
                problem = path + " was removed by someone else";
            } else if (now.equals(fileKey)) {
                Files.deleteIfExists(path);
            } else {
                problem = path + " is no longer the file this process locked (another process replaced it): left alone";
            }
        } catch (IOException e) {
            problem = "could not remove " + path + ": " + StartRefused.describe(e);
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing releases the lock anyway
        }
        return problem;
    }
}
