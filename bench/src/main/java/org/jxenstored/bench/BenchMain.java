package org.jxenstored.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark tool: drives one or more xenstored sockets with the raw wire protocol and reports throughput and
 * latency per scenario as Markdown tables and JSON. With several targets, every scenario runs on all of them
 * interleaved, and ratios against the baseline are reported. Started by {@code scripts/bench}; see
 * docs/performance.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "jxenstored bench 0.1.0", sortOptions = false,
        usageHelpWidth = 110, subcommands = {StartupCommand.class},
        description = {"Benchmark xenstored daemons over their Unix sockets (raw wire protocol).",
            "Targets: --socket PATH for one daemon, or --target NAME=SOCKET[,pid=PID][,basic] (repeat) for an "
                + "interleaved comparison; 'basic' marks a READ/WRITE-only server such as nullxs.",
            "Scenario groups: rss-10k sync pipe churn tx dir tree watches fanout idle rss-1m."})
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--socket", paramLabel = "PATH", description = "A single daemon's socket (target name 'daemon').")
    Path socket;

    @Option(names = "--target", paramLabel = "NAME=SOCKET[,pid=PID][,basic]", description = "A daemon to run on.")
    List<String> targetSpecs = new ArrayList<>();

    @Option(names = "--baseline", paramLabel = "NAME",
            description = "Target the ratios are relative to (default: 'c' if present, else the first).")
    String baseline;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
            description = "Scenario names or groups to run, in the default order (default: all).")
    List<String> only;

    @Option(names = "--skip", split = ",", paramLabel = "NAME", description = "Scenario names or groups to skip.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Measured interval per case (default 2).")
    double duration = 2;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up before each case (default 1).")
    double warmup = 1;

    @Option(names = "--reps", description = "Repetitions per scenario and target, interleaved (default 3).")
    int reps = 3;

    @Option(names = "--sync-clients", split = ",", description = "Synchronous client counts (default 1,2,8,64).")
    int[] syncClients = {1, 2, 8, 64};

    @Option(names = "--sync-ops", split = ",", description = "Synchronous operations (default read,write,mixed).")
    List<String> syncOps = List.of("read", "write", "mixed");

    @Option(names = "--pipe-clients", split = ",", description = "Pipelined client counts (default 1,8).")
    int[] pipeClients = {1, 8};

    @Option(names = "--pipe-depth", description = "Requests in flight per pipelined client (default 32).")
    int pipeDepth = 32;

    @Option(names = "--tx-clients", split = ",", description = "Transaction client counts (default 8).")
    int[] txClients = {8};

    @Option(names = "--dir-sizes", split = ",", description = "Directory sizes (default 1000,50000).")
    int[] dirSizes = {1000, 50000};

    @Option(names = "--tree", paramLabel = "DOMAINSxNODES", description = "Tree size (default 1000x100).")
    String tree = "1000x100";

    @Option(names = "--watches", description = "Idle watches for the write-cost scenario (default 100000).")
    int watches = 100_000;

    @Option(names = "--watch-conns", description = "Connections holding them (default 100).")
    int watchConns = 100;

    @Option(names = "--fanout", split = ",", description = "Watcher counts for fan-out (default 1000,10000).")
    int[] fanout = {1000, 10000};

    @Option(names = "--fanout-per-conn", description = "Fan-out watchers per connection (default 10).")
    int fanoutPerConn = 10;

    @Option(names = "--idle", split = ",", description = "Idle connection counts (default 100,1000,5000).")
    int[] idle = {100, 1000, 5000};

    @Option(names = "--rss-nodes", split = ",", description = "Node counts of rss-10k and rss-1m "
            + "(default 10000,1000000).")
    int[] rssNodes = {10_000, 1_000_000};

    @Option(names = "--prefix", description = "Where the benchmark works in the store (default /bench).")
    String prefix = "/bench";

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the tables to FILE.")
    Path markdown;

    @Option(names = {"-q", "--quiet"}, description = "No progress output on stderr.")
    boolean quiet;

    /** Arguments as given, for the report's meta data. */
    private String[] argv = new String[0];

    public static void main(String[] args) {
        BenchMain main = new BenchMain();
        main.argv = args;
        System.exit(new CommandLine(main).execute(args));
    }

    List<Scenario> allScenarios() {
        List<Scenario> s = new ArrayList<>();
        s.add(new RssScenario("rss-10k", rssNodes[0], 100, 20));
        for (String op : syncOps) {
            for (int c : syncClients) {
                s.add(new SyncScenario(SyncScenario.Op.valueOf(op.toUpperCase(java.util.Locale.ROOT)), c));
            }
        }
        for (int c : pipeClients) {
            s.add(new PipelineScenario(c == 1 ? SyncScenario.Op.READ : SyncScenario.Op.MIXED, c, pipeDepth));
            if (c == 1) {
                s.add(new PipelineScenario(SyncScenario.Op.WRITE, c, pipeDepth));
            }
        }
        s.add(new ChurnScenario());
        for (int k : txClients) {
            s.add(new TransactionScenario(false, k));
            s.add(new TransactionScenario(true, k));
        }
        s.add(new DirectoryScenario(dirSizes));
        String[] tr = tree.split("x");
        s.add(new TreeScenario(Integer.parseInt(tr[0]), Integer.parseInt(tr[1])));
        s.add(new WatchLoadScenario(watches, watchConns));
        for (int w : fanout) {
            s.add(new FanoutScenario(w, fanoutPerConn));
        }
        s.add(new IdleScenario(idle));
        if (rssNodes.length > 1) {
            s.add(new RssScenario("rss-1m", rssNodes[1], 0, 0));
        }
        return s;
    }

    static String group(String name) {
        int dash = name.indexOf('-');
        return dash < 0 ? name : name.substring(0, dash);
    }

    private static boolean matches(Scenario s, List<String> names) {
        return names.contains(s.name()) || names.contains(group(s.name()));
    }

    List<Scenario> selected() {
        List<Scenario> out = new ArrayList<>();
        for (Scenario s : allScenarios()) {
            if ((only == null || matches(s, only)) && !matches(s, skip)) {
                out.add(s);
            }
        }
        return out;
    }

    List<Target> targets() {
        List<Target> ts = new ArrayList<>();
        if (socket != null) {
            ts.add(new Target("daemon", socket, -1, false));
        }
        for (String spec : targetSpecs) {
            ts.add(Target.parse(spec));
        }
        Set<String> names = new LinkedHashSet<>();
        for (Target t : ts) {
            if (!names.add(t.name())) {
                throw new CommandLine.ParameterException(new CommandLine(this), "duplicate target " + t.name());
            }
        }
        return ts;
    }

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (Scenario s : allScenarios()) {
                System.out.printf("%-22s %s%n", s.name(), s.description());
            }
            return 0;
        }
        List<Target> targets = targets();
        if (targets.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give --socket or --target");
        }
        List<String> names = targets.stream().map(Target::name).toList();
        String base = baseline != null ? baseline : names.contains("c") ? "c" : names.get(0);
        PrintStream log = quiet ? new PrintStream(PrintStream.nullOutputStream()) : System.err;
        BenchContext ctx = new BenchContext(warmup, duration, prefix, log);
        for (Target t : targets) {
            if (!t.basic()) {
                ctx.remove(t, prefix);
            }
        }
        Runner runner = new Runner(ctx);
        long t0 = System.nanoTime();
        runner.run(selected(), targets, reps);
        log.printf("== done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        Report report = new Report(runner, targets, base,
                Report.meta("bench " + String.join(" ", Arrays.asList(argv))));
        for (Target t : targets) {
            try {
                long[] mem = BenchContext.memory(t);
                if (mem != null) {
                    report.endMemory.put(t.name(), mem);
                }
            } catch (java.io.IOException e) {
                log.printf("(no memory figures for %s: %s)%n", t, e);
            }
        }
        String md = report.markdown();
        System.out.print(md);
        if (markdown != null) {
            Files.writeString(markdown, md, StandardCharsets.UTF_8);
        }
        if (json != null) {
            Files.writeString(json, report.json(), StandardCharsets.UTF_8);
        }
        return runner.failures.isEmpty() ? 0 : 1;
    }
}
