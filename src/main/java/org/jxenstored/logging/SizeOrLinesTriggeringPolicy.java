package org.jxenstored.logging;

import ch.qos.logback.core.rolling.TriggeringPolicyBase;
import java.io.File;

/**
 * Rolls the access log over once the next line would take the file beyond {@code maxSize} bytes, or after
 * {@code maxLines} lines. Counts what it lets through instead of asking the file system for every line; the access
 * log formats whole lines of ASCII, so the count is exact. 0 disables a limit.
 */
final class SizeOrLinesTriggeringPolicy<E> extends TriggeringPolicyBase<E> {
    private final long maxSize;
    private final long maxLines;
    private long bytes = -1;
    private long lines;

    SizeOrLinesTriggeringPolicy(long maxSize, long maxLines) {
        this.maxSize = maxSize;
        this.maxLines = maxLines;
    }

    /** Bytes of the next line (set by the access log just before it logs). */
    private long next;

    void nextLineBytes(long n) {
        next = n;
    }

    @Override
    public boolean isTriggeringEvent(File activeFile, E event) {
        if (bytes < 0) {
            bytes = activeFile.length();
        }
        boolean roll = (maxSize > 0 && bytes > 0 && bytes + next > maxSize) || (maxLines > 0 && lines >= maxLines);
        if (roll) {
            bytes = 0;
            lines = 0;
        }
        bytes += next;
        lines++;
        return roll;
    }
}
