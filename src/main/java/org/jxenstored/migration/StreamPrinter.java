package org.jxenstored.migration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Prints a migration stream one record per line, with offsets, and what C 4.17 would make of it:
 * {@code java -cp jxenstored.jar org.jxenstored.migration.StreamPrinter /var/run/xenstored/state_dump}.
 */
public final class StreamPrinter {
    private StreamPrinter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: StreamPrinter STREAM_FILE");
            System.exit(2);
        }
        try {
            print(Path.of(args[0]), System.out);
        } catch (MigrationStreamException e) {
            System.out.flush();
            System.err.println("invalid stream: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Prints every record of {@code file}, then the C 4.17 check. */
    public static void print(Path file, PrintStream out) throws IOException {
        try (MigrationReader r = MigrationReader.from(file)) {
            out.println("version " + r.header().version() + " " + r.header().order());
            for (MigrationRecord rec = r.next(); rec != null; rec = r.next()) {
                out.println(r.recordOffset() + ": " + rec);
            }
        }
        C417Compatibility.Report report = C417Compatibility.check(file);
        out.println("C 4.17: " + (report.lossless() ? "restores everything"
                : report.compatible() ? "restores it, losing some state" : "cannot restore it"));
        report.violations().forEach(v -> out.println("  " + v));
    }
}
