package org.jxenstored.stats;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the statistics as MXBeans in the platform MBean server, where the JDK's tools find them (jconsole,
 * VisualVM, or any JMX client attaching by pid); no JMX port is opened. {@code org.jxenstored:type=Stats} holds
 * what {@code xenstore-control stats} shows and the connection list; {@code org.jxenstored:type=Requests,name=<type>}
 * one request type each. Attributes read a snapshot at most a second old, taken on the store thread.
 *
 * <p>A second daemon in the same JVM (tests) registers its beans with {@code instance=2} (3, ...) added to the names.
 */
public final class StatsMBeans implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsMBeans.class);
    public static final String DOMAIN = "org.jxenstored";
    /** Snapshots younger than this are reused by attribute reads. */
    private static final long MAX_AGE_MILLIS = 1000;

    private final MBeanServer mbs;
    private final List<ObjectName> names = new ArrayList<>();

    private StatsMBeans(MBeanServer mbs) {
        this.mbs = mbs;
    }

    /** Registers the beans of {@code stats}; failures are logged, never thrown (the daemon serves without them). */
    public static StatsMBeans register(DaemonStats stats) {
        StatsMBeans beans = new StatsMBeans(ManagementFactory.getPlatformMBeanServer());
        try {
            String suffix = "";
            for (int n = 2; beans.mbs.isRegistered(new ObjectName(DOMAIN + ":type=Stats" + suffix)); n++) {
                suffix = ",instance=" + n;
            }
            beans.add(new ObjectName(DOMAIN + ":type=Stats" + suffix),
                    new StandardMBean(new StatsBean(stats), StatsMXBean.class, true));
            RequestTypes types = stats.types();
            for (int i = 0; i < types.slots(); i++) {
                String name = types.name(i);
                beans.add(new ObjectName(DOMAIN + ":type=Requests,name=" + name + suffix),
                        new StandardMBean(new RequestTypeBean(stats, name), RequestTypeMXBean.class, true));
            }
        } catch (JMException e) {
            LOG.warn("statistics: cannot register the JMX MBeans: {}", e.toString());
        }
        return beans;
    }

    private void add(ObjectName name, Object bean) throws JMException {
        try {
            mbs.registerMBean(bean, name);
            names.add(name);
        } catch (InstanceAlreadyExistsException e) {
            LOG.warn("statistics: JMX name {} is taken; not registered", name);
        }
    }

    /** The names registered. */
    public List<ObjectName> names() {
        return List.copyOf(names);
    }

    /** Unregisters the beans. */
    @Override
    public void close() {
        for (ObjectName n : names) {
            try {
                mbs.unregisterMBean(n);
            } catch (JMException e) {
                LOG.debug("statistics: unregistering {}: {}", n, e.toString());
            }
        }
        names.clear();
    }

    private static final class StatsBean implements StatsMXBean {
        private final DaemonStats stats;

        StatsBean(DaemonStats stats) {
            this.stats = stats;
        }

        private StatsSnapshot s() {
            return stats.recent(MAX_AGE_MILLIS);
        }

        @Override
        public String getVersion() {
            return s().version();
        }

        @Override
        public long getUptimeSeconds() {
            return TimeUnit.NANOSECONDS.toSeconds(s().uptimeNanos());
        }

        @Override
        public int getConnections() {
            return s().connections().size();
        }

        @Override
        public long getRequests() {
            return s().requests();
        }

        @Override
        public long getRequestErrors() {
            return s().requestErrors();
        }

        @Override
        public Map<String, Long> getDomainRequests() {
            Map<String, Long> out = new LinkedHashMap<>();
            s().domainRequests().forEach((d, n) -> out.put(Integer.toString(d), n));
            return out;
        }

        @Override
        public long getOutstandingReplies() {
            return s().outstandingReplies();
        }

        @Override
        public long getQueuedOutputBytes() {
            return s().queuedBytes();
        }

        @Override
        public long getQueuedOutputMessages() {
            return s().queuedMessages();
        }

        @Override
        public long getQueuedEvents() {
            return s().queuedEvents();
        }

        @Override
        public long getUnreadOutputBytes() {
            return s().unreadBytes();
        }

        @Override
        public long getOldestWaitingMillis() {
            return TimeUnit.NANOSECONDS.toMillis(s().oldestWaitingNanos());
        }

        @Override
        public long getWatchEventsSent() {
            return s().events().sent();
        }

        @Override
        public long getWatchEventsMerged() {
            return s().events().merged();
        }

        @Override
        public long getWatchEventsDropped() {
            return s().events().dropped();
        }

        @Override
        public long getWatchEventsExpired() {
            return s().events().expired();
        }

        @Override
        public long getWatchEventsOverMemoryQuota() {
            return s().events().overQuota();
        }

        @Override
        public Map<String, Long> getQuotaRefusals() {
            return new LinkedHashMap<>(s().quotaRefusals());
        }

        @Override
        public long getWriteThrottled() {
            return s().throttled();
        }

        @Override
        public long getWriteThrottledMillis() {
            return TimeUnit.NANOSECONDS.toMillis(s().throttledNanos());
        }

        @Override
        public long getTransactionsStarted() {
            return s().transactionsStarted();
        }

        @Override
        public long getTransactionsOpen() {
            return s().transactionsOpen();
        }

        @Override
        public long getTransactionCommits() {
            return s().commits();
        }

        @Override
        public long getTransactionEagain() {
            return s().conflicts();
        }

        @Override
        public long getTransactionAborts() {
            return s().aborts();
        }

        @Override
        public long getLiveUpdates() {
            return s().liveUpdates();
        }

        @Override
        public long getRestarts() {
            return s().restarts();
        }

        @Override
        public List<ConnectionInfo> getConnectionList() {
            List<ConnectionInfo> out = new ArrayList<>();
            for (StatsSnapshot.ConnectionRow r : s().connections()) {
                out.add(ConnectionInfo.of(r));
            }
            return out;
        }

        @Override
        public String getStatsText() {
            return StatsFormat.mntr(s());
        }

        @Override
        public String getConnectionsText() {
            return StatsFormat.connections(s());
        }
    }

    private static final class RequestTypeBean implements RequestTypeMXBean {
        private final DaemonStats stats;
        private final String name;

        RequestTypeBean(DaemonStats stats, String name) {
            this.stats = stats;
            this.name = name;
        }

        private StatsSnapshot.TypeRow row() {
            for (StatsSnapshot.TypeRow r : stats.recent(MAX_AGE_MILLIS).types()) {
                if (r.name().equals(name)) {
                    return r;
                }
            }
            return new StatsSnapshot.TypeRow(name, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public long getCount() {
            return row().count();
        }

        @Override
        public long getErrors() {
            return row().errors();
        }

        @Override
        public double getLatencyP50Micros() {
            return row().p50Nanos() / 1000.0;
        }

        @Override
        public double getLatencyP99Micros() {
            return row().p99Nanos() / 1000.0;
        }

        @Override
        public double getLatencyMaxMicros() {
            return row().maxNanos() / 1000.0;
        }

        @Override
        public double getLatencyMeanMicros() {
            StatsSnapshot.TypeRow r = row();
            return r.count() == 0 ? 0 : r.totalNanos() / 1000.0 / r.count();
        }
    }
}
