package org.jxenstored.xen.jna;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jxenstored.xen.RingLayout;
import org.jxenstored.xen.XenPlatform.RingMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ring page mapped by native code (grant map, foreign map or mmap of {@code xsd_kva}), exposed as a direct
 * {@link ByteBuffer} over the 4096 bytes in native byte order. Closing runs the matching unmap once.
 */
final class NativeRingMapping implements RingMapping {
    private static final Logger LOG = LoggerFactory.getLogger(NativeRingMapping.class);

    /** Undoes one mapping. */
    interface Unmapper {
        void unmap(Pointer address) throws IOException;
    }

    /** Told when a mapping is closed (so that its owner stops tracking it). */
    interface CloseListener {
        void closed(NativeRingMapping mapping);
    }

    private final String description;
    private final Pointer address;
    private final ByteBuffer page;
    private final Unmapper unmapper;
    private final CloseListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();

    NativeRingMapping(String description, Pointer address, Unmapper unmapper, CloseListener listener) {
        this.description = description;
        this.address = address;
        this.page = address.getByteBuffer(0, RingLayout.PAGE_SIZE).order(ByteOrder.nativeOrder());
        this.unmapper = unmapper;
        this.listener = listener;
    }

    @Override
    public ByteBuffer page() {
        return page;
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            unmapper.unmap(address);
        } catch (IOException | RuntimeException e) {
            LOG.warn("unmapping {} failed: {}", description, e.getMessage());
        } finally {
            if (listener != null) {
                listener.closed(this);
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
