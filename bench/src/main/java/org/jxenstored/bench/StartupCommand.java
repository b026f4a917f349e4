package org.jxenstored.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Start to ready: starts a daemon command, and measures the time until its socket answers a request (a READ of
 * {@code /}: any reply counts). Then reads the process's RSS, stops it (SIGTERM) and repeats.
 */
@Command(name = "startup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure a daemon's start-to-ready time: run COMMAND until SOCKET answers, stop it, repeat.",
            "The command must exec the daemon (so its pid is the daemon's), e.g. "
                + "env XENSTORED_PATH=/tmp/s/socket scripts/jxenstored -N"})
final class StartupCommand implements Callable<Integer> {
    @Option(names = "--socket", required = true, paramLabel = "PATH", description = "The socket the daemon creates.")
    Path socket;

    @Option(names = "--name", description = "Name for the report (default: the command).")
    String name;

    @Option(names = "--reps", description = "Starts (default 5).")
    int reps = 5;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up on a start after (default 30).")
    double timeout = 30;

    @Option(names = "--log", paramLabel = "FILE", description = "Daemon output (default: discarded).")
    Path log;

    @Option(names = "--preload", paramLabel = "NODES", description = "Restart to ready: first start the daemon "
            + "once, write NODES nodes, stop it; the measured starts then bring them back (the daemon must keep its "
            + "state across a stop: jxenstored with --state-dir). Default 0: an empty store.")
    int preload;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The daemon command and its arguments.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        if (preload > 0) {
            preload();
        }
        List<Double> times = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            Files.deleteIfExists(socket);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (log != null) {
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            } else {
                pb.redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")));
            }
            long t0 = System.nanoTime();
            Process p = pb.start();
            try {
                long deadline = t0 + (long) (timeout * 1e9);
                long ready = -1;
                while (System.nanoTime() < deadline && p.isAlive()) {
                    if (answers()) {
                        ready = System.nanoTime();
                        break;
                    }
                    Thread.sleep(1);
                }
                if (ready < 0) {
                    System.err.println("startup: not ready (exit " + (p.isAlive() ? "-" : p.exitValue()) + ")");
                    return 1;
                }
                Thread.sleep(200);
                long[] mem = BenchContext.memory(new Target("x", socket, p.pid(), false));
                times.add((ready - t0) / 1e9);
                rss.add(mem[0] / 1024.0);
                System.err.printf(Locale.ROOT, "start %d: ready after %.3f s, RSS %.1f MiB%n", i + 1,
                        (ready - t0) / 1e9, mem[0] / 1024.0);
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                }
            }
        }
        double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
        double[] r = rss.stream().mapToDouble(Double::doubleValue).toArray();
        String who = name != null ? name : String.join(" ", command);
        System.out.printf(Locale.ROOT, "| daemon | start to ready (median of %d) | min | max | RSS when ready |%n"
                + "|---|---:|---:|---:|---:|%n| %s | %.3f s | %.3f s | %.3f s | %.1f MiB |%n", reps, who,
                Report.median(t), java.util.Arrays.stream(t).min().orElse(0), java.util.Arrays.stream(t).max()
                        .orElse(0), Report.median(r));
        return 0;
    }

    /** Starts the daemon, writes {@link #preload} nodes (1000 per directory, pipelined), checks them, stops it. */
    private void preload() throws Exception {
        Files.deleteIfExists(socket);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log != null ? ProcessBuilder.Redirect.appendTo(log.toFile())
                        : ProcessBuilder.Redirect.to(new File("/dev/null"))).start();
        try {
            long deadline = System.nanoTime() + (long) (timeout * 1e9);
            while (!answers()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("startup --preload: the daemon did not start");
                }
                Thread.sleep(5);
            }
            long t0 = System.nanoTime();
            try (XsClient c = XsClient.connect(socket, XsClient.LARGE)) {
                int depth = 256;
                long sent = 0;
                long received = 0;
                while (received < preload) {
                    while (sent < preload && sent - received < depth && c.roomForRequest()) {
                        c.begin(XsClient.WRITE, 0);
                        c.put(Ops.cstr("/bench/preload/d" + sent / 1000 + "/n" + sent % 1000));
                        c.put(Ops.cstr("value-" + sent));
                        c.end();
                        sent++;
                    }
                    c.flush();
                    c.fill();
                    while (c.poll()) {
                        if (c.type != XsClient.WRITE) {
                            throw new IllegalStateException("preload: a write failed: " + c.payloadString());
                        }
                        received++;
                    }
                }
            }
            System.err.printf(Locale.ROOT, "preload: %d nodes written in %.1f s%n", preload,
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    private boolean answers() {
        try (XsClient c = XsClient.connect(socket, XsClient.SMALL)) {
            c.begin(XsClient.READ, 0);
            c.put(Ops.cstr("/"));
            c.call();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
