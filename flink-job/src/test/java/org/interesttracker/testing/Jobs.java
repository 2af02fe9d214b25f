package org.interesttracker.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/** Job control for tests. */
public final class Jobs {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Jobs() {}

  /**
   * Cancels a job and waits until it is cancelled: the cancel call returns once it is accepted,
   * while tasks may still be writing checkpoint files into a folder the test is about to delete.
   */
  public static void cancel(JobClient job) throws Exception {
    job.cancel().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!job.getJobStatus()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .isGloballyTerminalState()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "job " + job.getJobID() + " not cancelled within " + TIMEOUT);
      }
      Thread.sleep(50);
    }
  }
}
