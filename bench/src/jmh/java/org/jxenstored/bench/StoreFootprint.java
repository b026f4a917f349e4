package org.jxenstored.bench;

import java.nio.charset.StandardCharsets;
import org.jxenstored.store.Stamps;
import org.jxenstored.store.Tree;

/**
 * Heap bytes per node of the store, in the layout of the {@code rss-1m} scenario ({@code N / 100} domains of 10
 * directories of 10 keys, values {@code value-<i>}): the live heap after full collections, before and after the
 * writes. Not a JMH benchmark (it measures memory, once), but built with them:
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx1g -cp bench/target/benchmarks.jar org.jxenstored.bench.StoreFootprint 1000000
 * </pre>
 */
public final class StoreFootprint {
    private StoreFootprint() {
    }

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Stamps stamps = new Stamps();
        Tree tree = new Tree(Tree.initialRoot(stamps), stamps);
        long before = liveHeap();
        for (int i = 0; i < n; i++) {
            String path = "/bench/rss-1m/local/domain/" + i / 100 + "/data/g" + i % 100 / 10 + "/k" + i % 10;
            tree.write(path, ("value-" + i).getBytes(StandardCharsets.US_ASCII), 0, false);
        }
        long after = liveHeap();
        System.out.printf("%d leaves (%d nodes in all): %.1f MiB, %.1f bytes per leaf%n", n,
                n + n / 10 + 2L * (n / 100) + 6, (after - before) / 1048576.0, (after - before) / (double) n);
        if (tree.root() == null) {
            throw new IllegalStateException(); // keeps the tree reachable until measured
        }
    }

    private static long liveHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
