package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class YieldingSelectStrategyTest {
    @Test
    void looksAgainAfterEachYieldThenSleeps() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = YieldingSelectStrategy.factory(3).newSelectStrategy()
                .calculateStrategy(() -> { polls.incrementAndGet(); return 0; }, false);
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(4); // once, then after each of the 3 yields
    }

    @Test
    void inputFoundAfterAYieldIsServedWithoutSleeping() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = YieldingSelectStrategy.factory(3).newSelectStrategy()
                .calculateStrategy(() -> polls.incrementAndGet() == 2 ? 5 : 0, false);
        assertThat(strategy).isEqualTo(5);
        assertThat(polls).hasValue(2);
    }

    @Test
    void pendingTasksNeverWaitForYields() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = YieldingSelectStrategy.factory(3).newSelectStrategy()
                .calculateStrategy(() -> { polls.incrementAndGet(); return 0; }, true);
        assertThat(strategy).isZero();
        assertThat(polls).hasValue(1);
    }

    @Test
    void zeroYieldsBehavesAsNettysDefault() throws Exception {
        assertThat(YieldingSelectStrategy.factory(0).newSelectStrategy().calculateStrategy(() -> 0, false))
                .isEqualTo(SelectStrategy.SELECT);
        assertThat(YieldingSelectStrategy.factory(0).newSelectStrategy().calculateStrategy(() -> 2, false))
                .isEqualTo(2);
    }
}
