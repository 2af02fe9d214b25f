package org.interesttracker.cluster;

import org.interesttracker.local.LatencyPercentiles;

/**
 * One sample of the soak, taken every few seconds.
 *
 * @param seconds since the paced events began
 * @param sent events handed to Kafka so far
 * @param answered events whose recommendation a {@code read_committed} consumer has read so far
 * @param latency send to read, of the recommendations read since the previous sample
 */
record SoakSample(
    double seconds,
    long sent,
    long answered,
    LatencyPercentiles latency,
    ClusterGauges.Reading cluster) {

  /** Events sent whose recommendation has not been read yet. */
  long behind() {
    return sent - answered;
  }
}
