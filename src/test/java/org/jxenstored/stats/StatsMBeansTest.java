package org.jxenstored.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient;

/** The statistics as JMX MBeans, read through the platform MBean server as a JMX client would. */
class StatsMBeansTest {
    private final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
    private TestDaemon daemon;

    @BeforeEach
    void start() {
        daemon = TestDaemon.start();
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void theDaemonsFiguresAreMBeanAttributes() throws Exception {
        daemon.daemon().awaitMBeans();
        ObjectName stats = new ObjectName("org.jxenstored:type=Stats");
        ObjectName writes = new ObjectName("org.jxenstored:type=Requests,name=write");
        assertThat(mbs.isRegistered(stats)).isTrue();
        try (XsTestClient c = XsTestClient.connect(daemon.socketPath())) {
            for (int i = 0; i < 7; i++) {
                c.write("/jmx/" + i, "v");
            }
            c.read("/jmx/none");
            c.watch("/jmx", "tok");
            Thread.sleep(1100); // beans reuse a snapshot for up to a second
            assertThat((Long) mbs.getAttribute(writes, "Count")).isEqualTo(7);
            assertThat((Long) mbs.getAttribute(writes, "Errors")).isZero();
            assertThat((Double) mbs.getAttribute(writes, "LatencyP99Micros")).isPositive();
            assertThat((Long) mbs.getAttribute(stats, "Requests")).isEqualTo(9);
            assertThat((Long) mbs.getAttribute(stats, "RequestErrors")).isEqualTo(1);
            assertThat((Integer) mbs.getAttribute(stats, "Connections")).isEqualTo(1);
            assertThat((Long) mbs.getAttribute(stats, "WatchEventsSent")).isEqualTo(1);
            assertThat((Long) mbs.getAttribute(stats, "LiveUpdates")).isZero();
            TabularData refusals = (TabularData) mbs.getAttribute(stats, "QuotaRefusals");
            assertThat(refusals.size()).isEqualTo(10);
            TabularData domains = (TabularData) mbs.getAttribute(stats, "DomainRequests");
            assertThat(domains.get(new Object[] {"0"}).get("value")).isEqualTo(9L);
            CompositeData[] conns = (CompositeData[]) mbs.getAttribute(stats, "ConnectionList");
            assertThat(conns).hasSize(1);
            assertThat(conns[0].get("transport")).isEqualTo("socket");
            assertThat(conns[0].get("watches")).isEqualTo(1);
            assertThat(conns[0].get("requests")).isEqualTo(9L);
            assertThat((String) mbs.getAttribute(stats, "StatsText")).contains("request_write_count\t7\n");
            assertThat((String) mbs.getAttribute(stats, "ConnectionsText")).startsWith("conn ");
        }
        daemon.close();
        daemon = null;
        assertThat(mbs.isRegistered(stats)).as("unregistered at stop").isFalse();
        assertThat(mbs.isRegistered(writes)).isFalse();
    }
}
