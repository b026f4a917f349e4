package org.jxenstored.control;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import org.jxenstored.protocol.XsError;
import org.jxenstored.server.Connection;
import org.jxenstored.server.HeldMemory;
import org.jxenstored.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code memreport [<file>]}: a report of the memory the daemon uses (JVM heap and collectors, store size,
 * connections, watches, transactions, queued output) to the file, or to the daemon log.
 */
public final class MemreportCommand implements ControlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(MemreportCommand.class);

    private final Server server;

    public MemreportCommand(Server server) {
        this.server = server;
    }

    @Override
    public String name() {
        return "memreport";
    }

    @Override
    public String usage() {
        return "[<file>]";
    }

    @Override
    public String run(String[] args) {
        if (args.length > 1) {
            throw XsError.EINVAL.exception();
        }
        String report = report();
        if (args.length == 0) {
            LOG.info("memreport:\n{}", report);
            return "OK";
        }
        try {
            Path file = Path.of(args[0]);
            Files.writeString(file, report, StandardCharsets.UTF_8);
            LOG.info("memreport written to {}", file);
            return "OK";
        } catch (InvalidPathException e) {
            throw XsError.EINVAL.exception();
        } catch (IOException e) {
            return "cannot write " + args[0] + ": " + e;
        }
    }

    String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("jxenstored memory report, ").append(Instant.now()).append('\n');
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        sb.append(String.format("heap: used %d, committed %d, max %d bytes\n", heap.getUsed(), heap.getCommitted(),
                heap.getMax()));
        sb.append(String.format("non-heap: used %d, committed %d bytes\n", nonHeap.getUsed(),
                nonHeap.getCommitted()));
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sb.append(String.format("gc %s: %d collections, %d ms\n", gc.getName(), gc.getCollectionCount(),
                    gc.getCollectionTime()));
        }
        Usage all = Usage.of(server, 0);
        sb.append(String.format("store: %d nodes, about %d bytes of names, values and permissions\n", all.allNodes,
                all.allBytes));
        long watches = 0;
        long transactions = 0;
        long waiting = 0;
        long[] lost = new long[4];
        for (Connection c : server.connections()) {
            watches += c.watches().size();
            transactions += c.transactions().size();
            waiting += c.waitingCount();
            long[] l = c.eventLossCounters();
            for (int i = 0; i < lost.length; i++) {
                lost[i] += l[i];
            }
        }
        sb.append(String.format("connections: %d, watches: %d (index %d), open transactions: %d, queued output: %d"
                + " messages\n", server.connections().size(), watches, server.watchIndex().size(), transactions,
                waiting));
        sb.append(String.format("watch events for slow readers (open connections): %d merged, %d dropped over the"
                + " limit, %d expired, %d dropped over the memory quota\n", lost[0], lost[1], lost[2], lost[3]));
        long[] held = new long[HeldMemory.Kind.values().length];
        server.quotas().held().forEach((domid, h) -> {
            for (int i = 0; i < held.length; i++) {
                held[i] += h[i];
            }
        });
        sb.append(String.format("held outside the tree (counted against the memory quota): watches %d, queued output"
                + " %d, open transactions %d bytes\n", held[0], held[1], held[2]));
        sb.append(String.format("transaction views dropped (kept too many old nodes alive; rebuilt on next use): %d\n",
                server.transactionViewsDropped()));
        return sb.toString();
    }
}
