package org.jxenstored.control;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Rebuilds the daemon's state in a live-update successor (started with {@code -U}) from the stream its predecessor
 * wrote, adopting the descriptors it names; the file is removed once read.
 */
@FunctionalInterface
public interface StateRestore {
    /** Not available: a successor that cannot restore must not serve an empty store. */
    StateRestore NONE = file -> {
        throw new IOException("this jxenstored cannot restore a live-update state");
    };

    /** @throws IOException with a message saying what is wrong, when the state cannot be restored */
    void restore(Path file) throws IOException;
}
