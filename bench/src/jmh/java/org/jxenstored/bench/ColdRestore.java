package org.jxenstored.bench;

import java.nio.charset.StandardCharsets;
import org.jxenstored.store.Perms;
import org.jxenstored.store.TreeRestore;

/**
 * What a crash restart's journal replay costs the tree in a fresh JVM (cold code: the restart's case, which JMH's
 * warmed-up measurements do not show): {@code N} nodes restored as a journal of pipelined writes records them
 * ({@code /crash/d<i/100>/k<i%100>}, each directory before its keys). Run it pinned to one CPU, several times:
 *
 * <pre>
 * taskset -c 1 java -XX:+UseSerialGC -cp bench/target/benchmarks.jar org.jxenstored.bench.ColdRestore 60000
 * </pre>
 */
public final class ColdRestore {
    private ColdRestore() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        String[] paths = new String[n];
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            paths[i] = "/crash/d" + i / 100 + "/k" + i % 100;
            values[i] = ("value-" + i).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] empty = new byte[0];
        TreeRestore restore = new TreeRestore(TreeRestore.emptyRoot());
        long t0 = System.nanoTime();
        long stamp = 1;
        restore.set("/crash", empty, Perms.DOM0_ONLY, stamp, stamp++);
        for (int i = 0; i < n; i++) {
            if (i % 100 == 0) {
                restore.set("/crash/d" + i / 100, empty, Perms.DOM0_ONLY, stamp, stamp++);
            }
            restore.set(paths[i], values[i], Perms.DOM0_ONLY, stamp, stamp++);
        }
        restore.root();
        System.out.printf("%d nodes restored in %.1f ms%n", n, (System.nanoTime() - t0) / 1e6);
    }
}
