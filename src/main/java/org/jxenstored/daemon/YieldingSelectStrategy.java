package org.jxenstored.daemon;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * Before the store thread sleeps in epoll_wait, it gives the CPU away a few times and looks again. Synchronous
 * clients (libxenstore) send their next request right after reading a reply; when they share the daemon's CPU,
 * yielding lets them do so, and the daemon finds the request without a sleep and a wake-up. When nothing else is
 * runnable a yield returns at once, so an idle daemon pays a few system calls per wake-up and then sleeps as before.
 */
final class YieldingSelectStrategy implements SelectStrategy {
    private final int yields;

    private YieldingSelectStrategy(int yields) {
        this.yields = yields;
    }

    static SelectStrategyFactory factory(int yields) {
        SelectStrategy strategy = new YieldingSelectStrategy(yields);
        return () -> strategy;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        int ready = selectNow.get();
        for (int i = 0; ready == 0 && !hasTasks && i < yields; i++) {
            Thread.yield();
            ready = selectNow.get();
        }
        return ready > 0 || hasTasks ? ready : SelectStrategy.SELECT;
    }
}
