package org.jxenstored.persist;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unmaps a file mapping at once ({@code sun.misc.Unsafe.invokeCleaner}, in the JDK's {@code jdk.unsupported}
 * module for exactly this) instead of when the collector finds its buffer unreachable. Where that is not available
 * the mapping goes with the buffer, as before.
 */
final class Unmapper {
    private static final Logger LOG = LoggerFactory.getLogger(Unmapper.class);
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private Unmapper() {
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("no sun.misc.Unsafe: mappings are released by the collector ({})", e.toString());
            return null;
        }
    }

    /** Unmaps {@code buffer}: it must not be used afterwards (touching it would crash the JVM). */
    static void unmap(MappedByteBuffer buffer) {
        if (UNSAFE != null) {
            UNSAFE.invokeCleaner(buffer);
        }
    }
}
