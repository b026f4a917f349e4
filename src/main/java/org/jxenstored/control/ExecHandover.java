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
import org.jxenstored.migration.C417Compatibility;
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
    /** Ours: the target is C xenstored and the state breaks a rule of its reader. */
    static final String C_CANNOT_READ = "State not restorable by C xenstored 4.17: ";

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
        String path = resolve(r.binary());
        boolean toC = successorIsC(Path.of(path));
        try {
            Files.newByteChannel(stateFile, CREATE_EMPTY, OWNER_ONLY).close();
        } catch (IOException | RuntimeException e) {
            LOG.error("live-update: cannot create {}: {}", stateFile, e.toString());
            return OPEN_FAILED;
        }
        try {
            dump.write(stateFile, r.version(), r.connection(), r.startRequest(), toC);
        } catch (IOException | RuntimeException e) {
            LOG.error("live-update: cannot write the state to {}", stateFile, e);
            abandon();
            return WRITE_FAILED;
        }
        String unreadable = toC ? c417Refusal(r.version()) : null;
        if (unreadable != null) {
            abandon();
            return unreadable;
        }
        Exec.Prepared prepared;
        try {
            InheritedFds.Fds handed = fds.fds();
            prepared = Exec.prepare(handed.sockets(), handed.devices());
        } catch (IOException | RuntimeException e) {
            LOG.error("live-update: cannot prepare the descriptors for exec: {}", e.toString());
            abandon();
            return EXEC_FAILED;
        }
        int errno = Exec.execve(path, r.argv(), env);
        prepared.undo();
        abandon();
        LOG.error("live-update: execve {} failed (errno {}): this daemon carries on", path, errno);
        return EXEC_FAILED;
    }

    /**
     * C xenstored ({@link #successorIsC}) that is handed a version 1 stream may be 4.17,
     * whose reader trusts its input: a stream it cannot restore would kill it after exec, with every guest's state.
     * So the stream is checked against 4.17's rules first ({@link C417Compatibility}); null when it passes.
     */
    private String c417Refusal(int version) {
        if (version != 1) {
            return null; // C 4.21 or later: its reader checks what it reads
        }
        try {
            C417Compatibility.Report report = C417Compatibility.check(stateFile);
            if (report.compatible()) {
                return null;
            }
            LOG.error("live-update: C xenstored 4.17 could not restore the state: {}", report.violations());
            return C_CANNOT_READ + report.violations().get(0).rule().summary();
        } catch (IOException | RuntimeException e) {
            LOG.error("live-update: cannot check the state written to {}", stateFile, e);
            return WRITE_FAILED;
        }
    }

    /**
     * Whether the successor is to be treated as C xenstored: an executable (ELF), or a script that does not name
     * jxenstored (a wrapper around C, as the anchors' live-update kit writes). Only a script naming jxenstored (its
     * launcher, or a wrapper of it) is taken for jxenstored: when in doubt, the state is written for C, which a
     * jxenstored successor reads too, while the other mistake would hand C a stream it may not restore.
     */
    static boolean successorIsC(Path file) {
        if (isElf(file)) {
            return true;
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.ISO_8859_1);
            return !head.contains("jxenstored");
        } catch (IOException e) {
            return true;
        }
    }

    static boolean isElf(Path file) {
        byte[] magic = new byte[4];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(magic, 0, 4) == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L'
                    && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    private void abandon() {
        removeDump();
        dump.abandoned();
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
