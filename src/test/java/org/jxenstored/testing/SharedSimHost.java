package org.jxenstored.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jxenstored.xen.sim.SharedSimHypervisor;

/**
 * A host for tests of the daemon as a real process: the shared-directory simulator in a temporary directory, its
 * guests in this JVM, and the daemon processes started on it (each one killed or stopped by the test, all cleaned up
 * at {@link #close()}).
 */
public final class SharedSimHost implements AutoCloseable {
    private final Path dir;
    private final SharedSimHypervisor xen;
    private final List<DaemonProcess> daemons = new ArrayList<>();

    public SharedSimHost() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxsh"); // socket paths: at most 107 bytes
        xen = new SharedSimHypervisor(dir.resolve("sim"));
    }

    public SharedSimHypervisor xen() {
        return xen;
    }

    /** Starts a daemon serving the simulator, with {@code args} added to its command line; waits until ready. */
    public DaemonProcess startDaemon(String... args) throws Exception {
        DaemonProcess d = DaemonProcess.onSharedSim(dir, xen.dir(), args);
        daemons.add(d);
        return d;
    }

    @Override
    public void close() throws Exception {
        for (DaemonProcess d : daemons) {
            d.close();
        }
        xen.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
