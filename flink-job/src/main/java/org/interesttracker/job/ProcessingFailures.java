package org.interesttracker.job;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unexpected errors of one operator instance while processing single records. Each failed record is
 * dead-lettered by the caller; this class keeps the failures loud: the {@code processing-failures}
 * metric, the first error logged with its stack trace and later ones summarised at most once a
 * minute, and the job failed once the {@link FailureLimit} is exceeded within a minute.
 */
final class ProcessingFailures {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessingFailures.class);
  private static final long MINUTE_MS = 60_000L;

  private final FailureLimit limit;
  private final String operator;
  private final Counter counter;
  private long minuteStart = Long.MIN_VALUE;
  private long records;
  private long failures;
  private long lastLogged = Long.MIN_VALUE;
  private long unlogged;

  ProcessingFailures(RuntimeContext context, FailureLimit limit) {
    this.limit = limit;
    this.operator = context.getTaskInfo().getTaskNameWithSubtasks();
    this.counter = context.getMetricGroup().counter("processing-failures");
  }

  void succeeded(long nowMs) {
    startMinuteIfDue(nowMs);
    records++;
  }

  /**
   * Counts and logs one failed record.
   *
   * @throws FailureLimitExceededException if failures exceed the limit within this minute
   */
  void failed(String record, Exception error, long nowMs) {
    startMinuteIfDue(nowMs);
    records++;
    failures++;
    counter.inc();
    log(record, error, nowMs);
    if (limit.isExceeded(failures, records)) {
      throw new FailureLimitExceededException(
          operator
              + ": "
              + failures
              + " of "
              + records
              + " records failed within a minute, more than the limit "
              + limit
              + "; latest: "
              + error,
          error);
    }
  }

  private void log(String record, Exception error, long nowMs) {
    if (lastLogged == Long.MIN_VALUE) {
      LOG.error(
          "{}: processing {} failed; it goes to the dead-letter topic", operator, record, error);
      lastLogged = nowMs;
    } else if (nowMs - lastLogged >= MINUTE_MS) {
      LOG.error(
          "{}: {} more records failed and were dead-lettered; latest: {}: {}",
          operator,
          unlogged + 1,
          record,
          error.toString());
      lastLogged = nowMs;
      unlogged = 0;
    } else {
      unlogged++;
    }
  }

  private void startMinuteIfDue(long nowMs) {
    if (nowMs >= minuteStart + MINUTE_MS || nowMs < minuteStart) {
      minuteStart = nowMs;
      records = 0;
      failures = 0;
    }
  }

  /** Thrown to fail the job when records fail at a rate that points to a bug, not bad input. */
  static final class FailureLimitExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FailureLimitExceededException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
