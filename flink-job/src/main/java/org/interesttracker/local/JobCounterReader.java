package org.interesttracker.local;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/**
 * Reads the job's outcome accumulators ({@link org.interesttracker.job.JobCounters}) while it runs.
 * Task managers report them with their heartbeat, so values trail the job by about one heartbeat
 * interval; the last value read is kept when the job cannot be asked (it is stopping).
 */
final class JobCounterReader {
  private final JobClient jobClient;
  private volatile Map<String, Object> latest = Map.of();

  JobCounterReader(JobClient jobClient) {
    this.jobClient = jobClient;
  }

  /** The counter's latest value, 0 before the job reported it. */
  long get(String counter) {
    refresh();
    return latest.get(counter) instanceof Number value ? value.longValue() : 0;
  }

  private void refresh() {
    try {
      latest = jobClient.getAccumulators().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // The job is stopping or busy; the previous values are the best available.
    }
  }
}
