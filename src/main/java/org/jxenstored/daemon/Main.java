package org.jxenstored.daemon;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of jxenstored. Detaching (without {@code -N}) is done by the {@code scripts/jxenstored} launcher. */
@Command(name = "jxenstored", mixinStandardHelpOptions = true, version = "jxenstored 0.1.0",
        description = "A Xenstore daemon. The socket path comes from XENSTORED_PATH, else XENSTORED_RUNDIR/socket, "
                + "else /run/xenstored/socket.")
public final class Main implements Callable<Integer> {
    @Option(names = {"-N", "--no-fork"}, description = "Stay in the foreground (the launcher detaches otherwise).")
    boolean noFork;

    @Option(names = {"-F", "--pid-file"}, paramLabel = "FILE", description = "Write the process id to FILE once the "
            + "socket accepts connections.")
    Path pidFile;

    @Option(names = {"-t", "--transaction"}, paramLabel = "N",
            description = "Open transactions per connection (default 10; 0 = unlimited).")
    Integer transactions;

    @Option(names = {"-W", "--watch-nb"}, paramLabel = "N",
            description = "Watches per connection (default 128; 0 = unlimited).")
    Integer watches;

    @Option(names = "--quota-privileged", description = "Apply quotas to privileged connections (Dom0) too.")
    boolean quotaPrivileged;

    public static void main(String[] args) {
        int rc = new CommandLine(new Main()).execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    @Override
    public Integer call() throws Exception {
        DaemonConfig config = new DaemonConfig();
        config.socketPath = DaemonConfig.socketPathFromEnvironment(System.getenv());
        config.pidFile = pidFile;
        if (transactions != null) {
            config.limits.transactionsPerConnection = transactions;
        }
        if (watches != null) {
            config.limits.watchesPerConnection = watches;
        }
        config.limits.privilegedExempt = !quotaPrivileged;
        Daemon daemon = new Daemon(config);
        daemon.start();
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::stop, "shutdown"));
        daemon.awaitTermination();
        return 0;
    }
}
