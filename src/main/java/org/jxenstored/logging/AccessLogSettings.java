package org.jxenstored.logging;

import java.nio.file.Path;

/** What the access log records and where (oxenstored's {@code access-log-*} keys, plus a size limit). */
public final class AccessLogSettings {
    public static final Path DEFAULT_FILE = Path.of("/var/log/xen/jxenstored-access.log");

    /** Whether the access log is on at start-up ({@code access-log-activate}, {@code -T}). */
    public boolean enabled;
    /** The log file ({@code access-log-file}, {@code -T FILE}, {@code logfile FILE}). */
    public Path file = DEFAULT_FILE;
    /** Rotate when the file would grow beyond this many bytes ({@code access-log-max-size}); 0 = never by size. */
    public long maxSize = 10L << 20;
    /** Rotate after this many lines ({@code access-log-nb-lines}); 0 = never by line count. */
    public long maxLines;
    /** Rotated files kept: FILE.1 (newest) to FILE.n ({@code access-log-nb-files}, at most 20). */
    public int files = 10;
    /** Longest logged argument text, in characters ({@code access-log-nb-chars}); 0 = no limit. */
    public int maxChars = 180;
    /** Log READ, DIRECTORY, DIRECTORY_PART and GET_PERMS ({@code access-log-read-ops}). */
    public boolean readOps = true;
    /** Log TRANSACTION_START and TRANSACTION_END ({@code access-log-transactions-ops}). */
    public boolean transactionOps = true;
    /** Log INTRODUCE, RELEASE, GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED, RESUME ({@code access-log-special-ops}). */
    public boolean specialOps = true;
    /** Write each line out at once (else when the buffer fills, on rotation, reopen and stop). */
    public boolean immediateFlush = true;

    public AccessLogSettings copy() {
        AccessLogSettings c = new AccessLogSettings();
        c.enabled = enabled;
        c.file = file;
        c.maxSize = maxSize;
        c.maxLines = maxLines;
        c.files = files;
        c.maxChars = maxChars;
        c.readOps = readOps;
        c.transactionOps = transactionOps;
        c.specialOps = specialOps;
        c.immediateFlush = immediateFlush;
        return c;
    }
}
