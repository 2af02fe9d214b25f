package org.interesttracker.local;

import java.util.Arrays;

/**
 * Latency percentiles in milliseconds over {@code samples} events; null when nothing was measured
 * (JSON has no NaN).
 */
public record LatencyPercentiles(long samples, Double p50Ms, Double p95Ms, Double p99Ms) {

  /** The percentiles of latencies in nanoseconds, in any order; sorts the array it is given. */
  public static LatencyPercentiles ofNanos(long[] latenciesNanos) {
    Arrays.sort(latenciesNanos);
    return new LatencyPercentiles(
        latenciesNanos.length,
        percentileMillis(latenciesNanos, 50),
        percentileMillis(latenciesNanos, 95),
        percentileMillis(latenciesNanos, 99));
  }

  /** Nearest-rank percentile: the smallest latency at least {@code p}% of samples do not exceed. */
  private static Double percentileMillis(long[] sorted, int p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1] / 1e6;
  }
}
