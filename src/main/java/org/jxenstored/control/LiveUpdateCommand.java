package org.jxenstored.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;

/**
 * {@code live-update -f <binary> | -c <cmdline> | -s [-t <secs>] [-F] [-v <version>] | -a}: C xenstored 4.22's
 * arguments and answers (control.c, lu.c, lu_daemon.c). Bad arguments are EINVAL; refusals are texts, which
 * xenstore-control prints before exiting with status 3. The session itself is {@link LiveUpdate}'s.
 */
public final class LiveUpdateCommand implements ControlCommand {
    static final String NOT_ACCESSIBLE = "File not accessible.";
    static final String NOT_EXECUTABLE = "File not executable.";
    /** Without {@code -t}; C's help text says 60 (its code takes 0; xenstore-control always sends -t). */
    static final long DEFAULT_TIMEOUT_SECONDS = 60;
    /** Without {@code -v}: 1, the only version the C daemons of Debian read (C 4.21+ writes 2). */
    static final long DEFAULT_VERSION = 1;

    private static final Set<PosixFilePermission> EXECUTE = Set.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    /** C reads at most this many arguments and ignores the rest ({@code max_pars} 7, the command included). */
    static final int MAX_ARGS = 6;

    private final LiveUpdate liveUpdate;

    public LiveUpdateCommand(LiveUpdate liveUpdate) {
        this.liveUpdate = liveUpdate;
    }

    @Override
    public String name() {
        return "live-update";
    }

    @Override
    public String usage() {
        return "[-c <cmdline>] [-F] [-t <timeout>] [-v <version>] <file>\n"
                + "    Default timeout is 60 seconds, default version is 1.";
    }

    @Override
    public String run(String[] args) {
        throw XsError.EINVAL.exception(); // only on a connection (the session is bound to it)
    }

    @Override
    public String run(String[] args, Connection conn, XsMessage request) {
        if (args.length < 1 || conn == null) {
            throw XsError.EINVAL.exception();
        }
        if (args.length > MAX_ARGS) {
            args = Arrays.copyOf(args, MAX_ARGS);
        }
        String answer;
        switch (args[0]) {
            case "-a":
                requireCount(args, 1);
                answer = liveUpdate.abort();
                break;
            case "-c":
                requireCount(args, 2);
                answer = liveUpdate.cmdline(conn, args[1]);
                break;
            case "-f":
                requireCount(args, 2);
                answer = binary(conn, args[1]);
                break;
            case "-s":
                answer = start(args, conn, request);
                if (answer == null) {
                    return null; // answered once the update has happened or failed
                }
                break;
            default:
                throw XsError.EINVAL.exception();
        }
        return answer == null ? "OK" : answer;
    }

    private static void requireCount(String[] args, int n) {
        if (args.length != n) {
            throw XsError.EINVAL.exception();
        }
    }

    /** {@code -f}: the file must exist and have an execute bit (C's stat checks; links are followed). */
    private String binary(Connection conn, String file) {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(Path.of(file), PosixFileAttributes.class);
        } catch (IOException | RuntimeException e) {
            return NOT_ACCESSIBLE;
        }
        if (attrs.permissions().stream().noneMatch(EXECUTE::contains)) {
            return NOT_EXECUTABLE;
        }
        return liveUpdate.begin(conn, file);
    }

    /** {@code -s [-F] [-t <secs>] [-v <version>]}, in any order; anything else is EINVAL. */
    private String start(String[] args, Connection conn, XsMessage request) {
        boolean force = false;
        long timeout = DEFAULT_TIMEOUT_SECONDS;
        long version = DEFAULT_VERSION;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("-F")) {
                force = true;
            } else if (args[i].equals("-t") && i < args.length - 1) {
                timeout = CNumbers.atoiUnsigned(args[++i]);
            } else if (args[i].equals("-v") && i < args.length - 1) {
                version = CNumbers.atoiUnsigned(args[++i]);
            } else {
                throw XsError.EINVAL.exception();
            }
        }
        return liveUpdate.start(conn, request, force, timeout, version);
    }
}
