package org.interesttracker.job;

import java.io.Serializable;

/**
 * When records failing with unexpected errors stop being a few poison records and become a bug that
 * fails everything: within one minute of one parallel instance, at least {@code minFailures} failed
 * and they were more than {@code maxRate} of the records it processed. The job then fails, loudly,
 * instead of dead-lettering its whole input. A rate of 1 never fails the job.
 *
 * @param maxRate share of records, 0 to 1, that may fail within a minute
 * @param minFailures failures within a minute below which the job never fails
 */
public record FailureLimit(double maxRate, int minFailures) implements Serializable {
  public static final FailureLimit DEFAULT = new FailureLimit(0.5, 100);

  public FailureLimit {
    if (!(maxRate >= 0 && maxRate <= 1)) {
      throw new IllegalArgumentException(
          "max-failure-rate must be between 0 and 1, got " + maxRate);
    }
    if (minFailures < 1) {
      throw new IllegalArgumentException(
          "failure limit needs at least one failure, got " + minFailures);
    }
  }

  /** True if {@code failures} out of {@code records} within one minute exceed the limit. */
  boolean isExceeded(long failures, long records) {
    return maxRate < 1 && failures >= minFailures && failures > maxRate * records;
  }
}
