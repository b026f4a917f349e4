package org.jxenstored.control;

/** Runs a task on the store thread again and again (about ten times a second) until told to stop. */
@FunctionalInterface
public interface Repeater {
    /** Starts repeating {@code task}; running the returned handle stops it. */
    Runnable repeat(Runnable task);
}
