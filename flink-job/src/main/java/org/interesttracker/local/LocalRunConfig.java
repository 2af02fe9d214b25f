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
 * @param webPort port of the Flink web UI, or 0 for none
 * @param drainTimeout after the last event was sent, how long to wait for more output before giving
 *     up on the rest
 * @param progressInterval time between progress lines
 */
public record LocalRunConfig(
    JobSettings.Builder job,
    Function<String, ReplaySettings> replayToTopic,
    String source,
    int webPort,
    Duration drainTimeout,
    Duration progressInterval) {

  public static final int NO_WEB_UI = 0;

  public LocalRunConfig {
    if (webPort < 0 || webPort > 65_535) {
      throw new IllegalArgumentException(
          "web port must be 0 (none) or a port number, got " + webPort);
    }
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout must not be negative");
    }
  }
}
