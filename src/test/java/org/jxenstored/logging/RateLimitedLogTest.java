package org.jxenstored.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One WARN line per source and interval, the first always, and a count of the ones not logged. */
class RateLimitedLogTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private RateLimitedLog log;

    @BeforeEach
    void setUp() {
        LoggerContext ctx = new LoggerContext();
        Logger logger = ctx.getLogger("test");
        lines.setContext(ctx);
        lines.start();
        logger.addAppender(lines);
        log = new RateLimitedLog(logger, Duration.ofSeconds(60), 3, now::get, "other clients");
    }

    private List<String> text() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    private void advanceSeconds(long s) {
        now.addAndGet(Duration.ofSeconds(s).toNanos());
    }

    @Test
    void theFirstShowsTheRestAreCountedAndReportedWhenTheIntervalEnds() {
        assertThat(log.warn("pid 7", () -> "client 7", "payload length 5000 exceeds 4096")).isTrue();
        for (int i = 0; i < 999; i++) {
            assertThat(log.warn("pid 7", () -> "client 7", "payload length " + i + " exceeds 4096")).isFalse();
        }
        assertThat(text()).containsExactly("client 7: payload length 5000 exceeds 4096");
        advanceSeconds(30);
        log.flush(false);
        assertThat(text()).hasSize(1);
        advanceSeconds(31);
        log.flush(false);
        assertThat(text()).hasSize(2).last().isEqualTo("client 7: 999 more like this in the last 60 s, not logged "
                + "(last: payload length 998 exceeds 4096)");
        // a new interval: the next one shows again
        assertThat(log.warn("pid 7", () -> "client 7", "again")).isTrue();
        assertThat(lines.list).allMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN);
        assertThat(log.logged()).isEqualTo(2);
        assertThat(log.suppressed()).isEqualTo(999);
    }

    @Test
    void eachSourceHasItsOwnLineAndManySourcesShareOne() {
        for (int pid = 0; pid < 100; pid++) {
            int p = pid;
            for (int i = 0; i < 10; i++) {
                log.warn("pid " + p, () -> "client " + p, "bad frame");
            }
        }
        // 3 sources tracked, then every other one counts as "other clients"
        assertThat(text()).containsExactly("client 0: bad frame", "client 1: bad frame", "client 2: bad frame",
                "other clients: bad frame");
        log.flush(true);
        assertThat(text()).hasSize(8).contains("client 0: 9 more like this in the last 1 s, not logged (last: bad "
                + "frame)", "other clients: 969 more like this in the last 1 s, not logged (last: bad frame)");
    }

    @Test
    void nothingSuppressedMeansNoSummaryLine() {
        log.warn("a", () -> "a", "x");
        advanceSeconds(61);
        log.flush(false);
        log.flush(true);
        assertThat(text()).containsExactly("a: x");
    }
}
