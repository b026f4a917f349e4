package org.jxenstored.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void bucketsAreContiguousAndWithinOnePercent() {
        int last = -1;
        for (long v = 0; v < 5_000_000; v += 1 + v / 1000) {
            int i = LatencyHistogram.index(v);
            assertThat(i).isBetween(last, last + 1);
            last = i;
            assertThat((double) LatencyHistogram.value(i)).isCloseTo(v, within(Math.max(1, v * 0.01)));
        }
    }

    @Test
    void percentilesOfAUniformDistribution() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100_000; i++) {
            h.record(i * 100L);
        }
        assertThat((double) h.percentile(0.5)).isCloseTo(5_000_000, within(50_000.0));
        assertThat((double) h.percentile(0.99)).isCloseTo(9_900_000, within(99_000.0));
        assertThat(h.percentile(1.0)).isEqualTo(10_000_000);
        assertThat(h.count()).isEqualTo(100_000);
        LatencyHistogram other = new LatencyHistogram();
        other.record(1);
        h.add(other);
        assertThat(h.percentile(0)).isEqualTo(1);
    }
}
