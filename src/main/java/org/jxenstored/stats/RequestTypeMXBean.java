package org.jxenstored.stats;

/**
 * One request type's figures as a JMX MBean ({@code org.jxenstored:type=Requests,name=<type>}, e.g.
 * {@code name=write}): requests, errors and latencies since the start.
 */
public interface RequestTypeMXBean {
    long getCount();

    long getErrors();

    double getLatencyP50Micros();

    double getLatencyP99Micros();

    double getLatencyMaxMicros();

    double getLatencyMeanMicros();
}
