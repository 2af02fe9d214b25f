package org.interesttracker.local;

/**
 * Latency percentiles in milliseconds over {@code samples} events; null when nothing was measured
 * (JSON has no NaN).
 */
public record LatencyPercentiles(long samples, Double p50Ms, Double p95Ms, Double p99Ms) {}
