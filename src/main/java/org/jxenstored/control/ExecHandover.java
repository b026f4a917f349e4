package org.jxenstored.control;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.jxenstored.os.Exec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real hand-over, in this process: state dump, descriptors, exec (the pid stays). Any failure leaves the
 * running daemon as it was (the dump is removed, descriptors and signal mask restored) and answers with C's text.
 */
public final class ExecHandover implements Handover {
    private static final Logger LOG = LoggerFactory.getLogger(ExecHandover.class);
    /** C's answers when the dump cannot be created or written (lu.c). */
    static final String OPEN_FAILED = "Dump state open error";
    static final String WRITE_FAILED = "Dump write error";

    private static final Set<StandardOpenOption> CREATE_EMPTY = Set.of(StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private final Path stateFile;
    private final StateDump dump;
    private final InheritedFds fds;
    private final Map<String, String> env;

    /**
     * @param stateFile where the successor reads the state ({@code $XENSTORED_RUNDIR/state_dump})
     * @param env the successor's environment (the daemon's own: C passes its environ)
     */
    public ExecHandover(Path stateFile, StateDump dump, InheritedFds fds, Map<String, String> env) {
        this.stateFile = stateFile;
        this.dump = dump;
        this.fds = fds;
        this.env = Map.copyOf(env);
    }

    @Override
    public String handOver(HandoverRequest r) {
        try {
            Files.newByteChannel(stateFile, CREATE_EMPTY, OWNER_ONLY).close();
        } catch (IOException | RuntimeException e) {
            LOG.error("live-update: cannot create {}: {}", stateFile, e.toString());
            return OPEN_FAILED;
        }
        try {
            dump.write(stateFile, r.version(), r.connection(), r.startRequest());
        } catch (IOException | RuntimeException e) {
            LOG.error("live-update: cannot write the state to {}", stateFile, e);
            removeDump();
            return WRITE_FAILED;
        }
        String path = resolve(r.binary());
        Exec.Prepared prepared;
        try {
            prepared = Exec.prepare(fds.fds());
        } catch (IOException | RuntimeException e) {
            LOG.error("live-update: cannot prepare the descriptors for exec: {}", e.toString());
            removeDump();
            return EXEC_FAILED;
        }
        int errno = Exec.execve(path, r.argv(), env);
        prepared.undo();
        removeDump();
        LOG.error("live-update: execve {} failed (errno {}): this daemon carries on", path, errno);
        return EXEC_FAILED;
    }

    private void removeDump() {
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            LOG.warn("live-update: cannot remove {}: {}", stateFile, e.toString());
        }
    }

    /** As execvp: a name without a slash is looked for in PATH. */
    private String resolve(String binary) {
        if (binary.contains("/")) {
            return binary;
        }
        String path = env.getOrDefault("PATH", "/bin:/usr/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return binary;
    }
}
