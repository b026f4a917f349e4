package org.jxenstored.bench;

import java.nio.file.Path;

/**
 * A daemon under test: a name for the tables, its socket, optionally its pid (for RSS), and whether it is a
 * {@code basic} server that only answers READ and WRITE (nullxs, the transport's ceiling).
 *
 * <p>Command-line form: {@code NAME=SOCKET[,pid=PID][,basic]}.
 */
record Target(String name, Path socket, long pid, boolean basic) {
    static Target parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("target must be NAME=SOCKET[,pid=PID][,basic]: " + spec);
        }
        String name = spec.substring(0, eq);
        String[] parts = spec.substring(eq + 1).split(",");
        long pid = -1;
        boolean basic = false;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("pid=")) {
                pid = Long.parseLong(parts[i].substring(4));
            } else if (parts[i].equals("basic")) {
                basic = true;
            } else {
                throw new IllegalArgumentException("unknown target attribute '" + parts[i] + "' in " + spec);
            }
        }
        return new Target(name, Path.of(parts[0]), pid, basic);
    }

    @Override
    public String toString() {
        return name;
    }
}
