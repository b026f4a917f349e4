package org.jxenstored.daemon;

import java.util.List;

/**
 * The daemon's command-line parser, getopt_long's rules as C xenstored has them: short options may be clustered
 * ({@code -NV}) and take their value attached or as the next argument ({@code -E100}, {@code -E 100}), long ones as
 * {@code --name=value} or {@code --name value}; no positional arguments.
 *
 * <p>Why not a library: picocli, used before, was about 0.18 s of every start (half the start-up then, the outage
 * of a crash restart or a live update; 15 s under the emulated Xen of the end-to-end test), because its classes
 * are class-file version 49: the class-data-sharing archive cannot hold them and the JVM verifies them with its
 * old, slow verifier at every start (docs/performance.md, "Issue 17").
 */
final class CommandLine {
    /** A command line that cannot be parsed: the message names the argument; the exit status is 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private static final int WIDTH = 100;
    private static final int DESCRIPTION_COLUMN = 32;

    private CommandLine() {
    }

    /** Applies every option of {@code args} in order. */
    static void parse(String[] args, List<CliOption> options) throws UsageException {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String next = i + 1 < args.length ? args[i + 1] : null;
            if (arg.startsWith("--") && arg.length() > 2) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                CliOption o = find(options, name);
                if (o == null) {
                    throw new UsageException("Unknown option: '" + name + "'");
                }
                if (eq >= 0) {
                    if (o.arity == CliOption.Arity.NONE) {
                        throw new UsageException("option '" + name + "' takes no value: '" + arg + "'");
                    }
                    o.action.apply(arg.substring(eq + 1));
                } else if (takesNext(o, next, options)) {
                    o.action.apply(next);
                    i++;
                } else {
                    apply(o, name);
                }
            } else if (arg.startsWith("-") && arg.length() > 1 && !arg.equals("--")) {
                i += cluster(arg, next, options);
            } else {
                throw new UsageException("Unmatched argument at index " + i + ": '" + arg + "'");
            }
        }
    }

    /** One argument of short options; returns 1 when it used the next argument as a value. */
    private static int cluster(String arg, String next, List<CliOption> options) throws UsageException {
        for (int j = 1; j < arg.length(); j++) {
            String name = "-" + arg.charAt(j);
            CliOption o = find(options, name);
            if (o == null) {
                throw new UsageException("Unknown option: '" + (j == 1 ? arg : name) + "'");
            }
            if (o.arity == CliOption.Arity.NONE) {
                o.action.apply(null);
                continue;
            }
            String rest = arg.substring(j + 1);
            if (!rest.isEmpty()) {
                o.action.apply(rest.startsWith("=") ? rest.substring(1) : rest);
                return 0;
            }
            if (takesNext(o, next, options)) {
                o.action.apply(next);
                return 1;
            }
            apply(o, name);
            return 0;
        }
        return 0;
    }

    private static boolean takesNext(CliOption o, String next, List<CliOption> options) {
        if (o.arity == CliOption.Arity.ONE) {
            return next != null;
        }
        // an optional value: the next argument, unless it is an option itself
        return o.arity == CliOption.Arity.OPTIONAL && next != null && !(next.startsWith("-") && next.length() > 1);
    }

    /** An option given without a value: a flag, an optional value's fallback, or an error. */
    private static void apply(CliOption o, String name) throws UsageException {
        if (o.arity == CliOption.Arity.ONE) {
            throw new UsageException("Missing required parameter for option '" + name + "' (" + o.label + ")");
        }
        o.action.apply(o.arity == CliOption.Arity.OPTIONAL ? o.fallback : null);
    }

    private static CliOption find(List<CliOption> options, String name) {
        for (CliOption o : options) {
            if (o.names.contains(name)) {
                return o;
            }
        }
        return null;
    }

    /** An integer value, as picocli said it. */
    static int integer(String option, String value) throws UsageException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException("Invalid value for option '" + option + "': '" + value + "' is not an int");
        }
    }

    /** The {@code --help} text: synopsis, description, then each visible option wrapped to 100 columns. */
    static String usage(String synopsis, List<String> description, List<CliOption> options) {
        StringBuilder sb = new StringBuilder("Usage: ").append(synopsis).append('\n');
        for (String line : description) {
            sb.append(line).append('\n');
        }
        for (CliOption o : options) {
            if (o.hidden) {
                continue;
            }
            StringBuilder head = new StringBuilder("  ").append(String.join(", ", o.names));
            if (o.arity == CliOption.Arity.ONE) {
                head.append('=').append(o.label);
            } else if (o.arity == CliOption.Arity.OPTIONAL) {
                head.append("[=").append(o.label).append(']');
            }
            wrap(sb, head.toString(), o.description);
        }
        return sb.toString();
    }

    private static void wrap(StringBuilder sb, String head, String text) {
        StringBuilder line = new StringBuilder(head);
        if (line.length() + 2 > DESCRIPTION_COLUMN) {
            sb.append(line).append('\n');
            line.setLength(0);
        }
        for (String word : text.split(" ")) {
            if (line.length() > DESCRIPTION_COLUMN && line.length() + 1 + word.length() > WIDTH) {
                sb.append(line).append('\n');
                line.setLength(0);
            }
            if (line.length() <= DESCRIPTION_COLUMN) {
                while (line.length() < DESCRIPTION_COLUMN) {
                    line.append(' ');
                }
            } else {
                line.append(' ');
            }
            line.append(word);
        }
        sb.append(line).append('\n');
    }
}
