package org.jxenstored.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the process show as {@code jxenstored} rather than {@code java} to {@code ps -C}, {@code pgrep},
 * {@code top}, {@code killall} and {@code start-stop-daemon --name}: they read the process's name ("comm",
 * {@code /proc/PID/comm} and the second field of {@code /proc/PID/stat}), which is the name of its first thread.
 *
 * <p>{@code prctl(PR_SET_NAME)} would not do: it names the calling thread only, and Java code never runs on the
 * first thread (the java launcher starts the JVM on a second thread and leaves the first one waiting for it). But
 * a thread may write the name of any thread of its own process through {@code /proc/self/task/TID/comm}, and
 * {@code /proc/self/comm} is the first thread's (Linux 2.6.33 and later). The other threads keep their own names
 * ("main" is still "java"; "xenstored-store", "C2 CompilerThre", ...). {@code pidof} (sysvinit-utils) looks at
 * {@code argv[0]} instead: the launcher sets that ({@code exec -a}). {@code /proc/PID/exe} stays the java binary,
 * which is why {@code jcmd PID} keeps working.
 */
final class ProcessName {
    private ProcessName() {
    }

    /**
     * Names the process {@code name} (at most 15 bytes are kept).
     *
     * @return whether it worked (not on a system without /proc)
     */
    static boolean set(String name) {
        try {
            Files.write(Path.of("/proc/self/comm"), name.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
