package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.testing.FlinkAndKafkaTestBase;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.JobOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade path: stop with a savepoint, start again from it at another parallelism. Every user's
 * state must move to the subtask that now owns the user's key group.
 */
class SavepointRescalingITCase extends FlinkAndKafkaTestBase {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int BATCH = 200;

  @TempDir Path checkpoints;
  @TempDir Path savepoints;

  private final String run = newRun();

  @Test
  void stateSurvivesScalingFromOneToTwoAndBackToOne() throws Exception {
    JobSettings atOne = settings(1);
    JobSettings atTwo = settings(2);
    createTopics(atOne);
    List<InteractionEvent> sent = new ArrayList<>();

    String first = runUntilSavepoint(atOne, null, InteractionEvents.range(0, BATCH), sent);
    String second = runUntilSavepoint(atTwo, first, InteractionEvents.range(BATCH, BATCH), sent);
    runUntilSavepoint(atOne, second, InteractionEvents.range(2 * BATCH, BATCH), sent);

    // Every output after a restore builds on the user's restored state (history, decayed
    // strengths, remembered event ids), so any lost or misplaced state shows up as a difference.
    JobOutputs expected = JobOutputs.expected(atOne, sent);
    JobOutputs outputs = JobOutputs.await(kafka.bootstrapServers(), atOne, expected, TIMEOUT);
    assertThat(outputs).isEqualTo(expected);
  }

  /**
   * Starts the job from {@code savepoint} (none: from scratch), sends the events, waits for their
   * outputs and stops the job with a savepoint, whose path it returns.
   */
  private String runUntilSavepoint(
      JobSettings settings,
      String savepoint,
      List<InteractionEvent> events,
      List<InteractionEvent> sent)
      throws Exception {
    Configuration restore = new Configuration();
    if (savepoint != null) {
      restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(restore);
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineKafkaWorkflow(env, settings);
    JobClient job = env.executeAsync("interest-tracker-p" + settings.parallelism());

    InteractionEvents.send(kafka.bootstrapServers(), settings.inputTopic(), events);
    sent.addAll(events);
    JobOutputs.await(
        kafka.bootstrapServers(), settings, JobOutputs.expected(settings, sent), TIMEOUT);
    return job.stopWithSavepoint(
            false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
        .get();
  }

  /** The same job, topics and key groups at another parallelism. */
  private JobSettings settings(int parallelism) {
    return settingsFor(run)
        .checkpointInterval(Duration.ofMillis(500))
        .checkpointDir(checkpoints.toUri().toString())
        .parallelism(parallelism)
        .maxParallelism(128)
        .build();
  }
}
