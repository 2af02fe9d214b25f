package org.interesttracker.local;

import java.time.Duration;
import java.util.function.Function;
import org.interesttracker.job.JobSettings;
import org.interesttracker.replay.ReplaySettings;

/**
 * How to run the whole pipeline in this process.
 *
 * @param job the job's settings; the bootstrap servers are set to the embedded broker's
 * @param replayToTopic the replay settings for the job's input topic
 * @param source names the replayed events in the report
 * @param webUi the Flink web UI, or {@link WebUi#NONE}
 * @param drainTimeout after the last event was sent, how long to wait for more output before giving
 *     up on the rest
 * @param progressInterval time between progress lines
 */
public record LocalRunConfig(
    JobSettings.Builder job,
    Function<String, ReplaySettings> replayToTopic,
    String source,
    WebUi webUi,
    Duration drainTimeout,
    Duration progressInterval) {

  public LocalRunConfig {
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout must not be negative");
    }
  }
}
