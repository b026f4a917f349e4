package org.jxenstored.persist;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the heap grow in large steps while a big state is restored, then puts the daemon's thrifty setting back.
 * The launcher keeps a Dom0's heap tight ({@code -XX:MinHeapFreeRatio=10}): restoring a million nodes with it meant
 * a full collection for every few percent of growth, most of the restart's time. Both ratios are manageable flags.
 */
final class HeapGrowth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeapGrowth.class);
    private static final String MIN = "MinHeapFreeRatio";
    private static final String MAX = "MaxHeapFreeRatio";

    private final HotSpotDiagnosticMXBean vm;
    private final String min;
    private final String max;

    private HeapGrowth(HotSpotDiagnosticMXBean vm, String min, String max) {
        this.vm = vm;
        this.min = min;
        this.max = max;
    }

    /** Generous growth from now until {@link #close()}; does nothing where the flags cannot be changed. */
    static HeapGrowth generous() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            HeapGrowth g = new HeapGrowth(vm, vm.getVMOption(MIN).getValue(), vm.getVMOption(MAX).getValue());
            vm.setVMOption(MAX, "100");
            vm.setVMOption(MIN, "60");
            return g;
        } catch (RuntimeException e) {
            LOG.debug("heap growth flags cannot be changed: {}", e.toString());
            return new HeapGrowth(null, null, null);
        }
    }

    @Override
    public void close() {
        if (vm == null) {
            return;
        }
        try {
            vm.setVMOption(MIN, min);
            vm.setVMOption(MAX, max);
        } catch (RuntimeException e) {
            LOG.debug("heap growth flags cannot be restored: {}", e.toString());
        }
    }
}
