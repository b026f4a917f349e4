package org.jxenstored.daemon;

import java.nio.file.Path;
import java.util.Map;
import org.jxenstored.server.Limits;

/** What the daemon is started with. */
public final class DaemonConfig {
    public static final String DEFAULT_RUNDIR = "/run/xenstored";

    public Path socketPath = Path.of(DEFAULT_RUNDIR, "socket");
    public Path pidFile;
    public final Limits limits = new Limits();

    /** As C xenstored and libxenstore: XENSTORED_PATH, else XENSTORED_RUNDIR/socket, else the default. */
    public static Path socketPathFromEnvironment(Map<String, String> env) {
        String path = env.get("XENSTORED_PATH");
        if (path != null && !path.isEmpty()) {
            return Path.of(path);
        }
        String rundir = env.get("XENSTORED_RUNDIR");
        return Path.of(rundir != null && !rundir.isEmpty() ? rundir : DEFAULT_RUNDIR, "socket");
    }
}
