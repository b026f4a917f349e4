package org.jxenstored.os;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in its own JVM by {@link ExecTest}: opens a file, hands its descriptor over the way a live update does and
 * execs a shell that reports its pid, its descriptors, that descriptor's flags and its blocked signals.
 */
public final class ExecProbe {
    private ExecProbe() {
    }

    public static void main(String[] args) throws IOException {
        try (RandomAccessFile kept = new RandomAccessFile(args[0], "rw")) {
            int fd = fdOf(Path.of(args[0]).toRealPath());
            Exec.setNonBlocking(fd, true);
            Exec.prepare(new int[] {fd});
            // ls lists the shell's descriptors onto the shell's own stdout (a command substitution would add a pipe)
            String script = "echo pid $$; ls /proc/$$/fd; echo fd " + fd
                    + "; grep flags /proc/$$/fdinfo/" + fd + "; grep SigBlk /proc/$$/status";
            int errno = Exec.execve("/bin/sh", List.of("sh", "-c", script), Map.of("PATH", "/bin:/usr/bin"));
            System.out.println("execve failed: errno " + errno);
            System.exit(1);
        }
    }

    /** The descriptor of this process open on {@code file}. */
    private static int fdOf(Path file) throws IOException {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                try {
                    if (Files.readSymbolicLink(p).equals(file)) {
                        return Integer.parseInt(p.getFileName().toString());
                    }
                } catch (IOException e) {
                    // the directory stream's own descriptor, gone already
                }
            }
        }
        throw new IOException("no descriptor open on " + file);
    }
}
