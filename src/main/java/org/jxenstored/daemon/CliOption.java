package org.jxenstored.daemon;

import java.util.List;

/**
 * One option of the daemon's command line: its names, whether it takes a value, and what it does with it
 * ({@link CommandLine} parses, {@link Main#options()} is the table).
 */
final class CliOption {
    /** Whether the option takes a value. */
    enum Arity {
        /** a flag */
        NONE,
        /** a value, attached ({@code -E100}, {@code --entry-nb=100}) or the next argument */
        ONE,
        /** a value if attached or if the next argument is not an option, else the fallback */
        OPTIONAL
    }

    /** What the option does with its value (null for a flag); may refuse it. */
    interface Action {
        void apply(String value) throws CommandLine.UsageException;
    }

    final List<String> names;
    final Arity arity;
    final String label;
    final String fallback;
    final boolean hidden;
    final String description;
    final Action action;

    private CliOption(List<String> names, Arity arity, String label, String fallback, boolean hidden,
            String description, Action action) {
        this.names = names;
        this.arity = arity;
        this.label = label;
        this.fallback = fallback;
        this.hidden = hidden;
        this.description = description;
        this.action = action;
    }

    static CliOption flag(List<String> names, String description, Runnable action) {
        return new CliOption(names, Arity.NONE, null, null, false, description, v -> action.run());
    }

    static CliOption value(List<String> names, String label, String description, Action action) {
        return new CliOption(names, Arity.ONE, label, null, false, description, action);
    }

    static CliOption optional(List<String> names, String label, String fallback, String description,
            Action action) {
        return new CliOption(names, Arity.OPTIONAL, label, fallback, false, description, action);
    }

    /** The same option, left out of {@code --help} (and of the manual page). */
    CliOption hidden() {
        return new CliOption(names, arity, label, fallback, true, description, action);
    }

    /** How {@code --help} and error messages name it: its longest name. */
    String longest() {
        return names.get(names.size() - 1);
    }
}
