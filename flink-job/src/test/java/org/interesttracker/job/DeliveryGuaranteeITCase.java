package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.testing.FlinkAndKafkaTestBase;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.JobOutputs;
import org.interesttracker.testing.Jobs;
import org.interesttracker.testing.OutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job fails once in the middle of the stream and restarts from its last checkpoint. What a
 * {@code read_committed} consumer of the output topics then sees depends on the delivery guarantee.
 */
class DeliveryGuaranteeITCase extends FlinkAndKafkaTestBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryGuaranteeITCase.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int BATCH = 300;
  // In the middle of the second batch, after the first batch's outputs were committed.
  private static final int FAIL_AT_RECORD = BATCH + BATCH / 2;

  @TempDir Path checkpoints;

  @Test
  void exactlyOnceWritesEveryProfileOnceDespiteTheFailure() throws Exception {
    JobSettings settings = checkpointedRun(DeliveryGuarantee.EXACTLY_ONCE, checkpoints);
    List<InteractionEvent> events = InteractionEvents.range(0, 2 * BATCH);

    JobOutputs outputs = runWithOneFailure(settings, events);

    assertThat(outputs.repeats()).isZero();
    assertThat(outputs).isEqualTo(JobOutputs.expected(settings, events));
  }

  @Test
  void atLeastOnceLosesNothingButMayRepeat() throws Exception {
    JobSettings settings = checkpointedRun(DeliveryGuarantee.AT_LEAST_ONCE, checkpoints);
    List<InteractionEvent> events = InteractionEvents.range(0, 2 * BATCH);

    JobOutputs outputs = runWithOneFailure(settings, events);

    LOG.info("At least once: {} records written twice after the restart", outputs.repeats());
    assertThat(outputs.withoutRepeats()).isEqualTo(JobOutputs.expected(settings, events));
    // Only what was read before the failure can be written twice, once to each output topic.
    assertThat(outputs.repeats()).isBetween(0, FAIL_AT_RECORD * OutputTopic.ALL.size());
  }

  /**
   * Sends the first batch and waits for its outputs, so a checkpoint has committed them; then sends
   * the second batch, in which the source fails once. Returns what the outputs hold in the end.
   */
  private JobOutputs runWithOneFailure(JobSettings settings, List<InteractionEvent> events)
      throws Exception {
    List<InteractionEvent> first = events.subList(0, BATCH);
    InteractionEvents.send(kafka.bootstrapServers(), settings.inputTopic(), first);
    FailingOnceDeserializer.reset();
    JobClient job = start(settings);
    JobOutputs.await(
        kafka.bootstrapServers(), settings, JobOutputs.expected(settings, first), TIMEOUT);
    assertThat(FailingOnceDeserializer.hasFailed()).isFalse();

    InteractionEvents.send(
        kafka.bootstrapServers(), settings.inputTopic(), events.subList(BATCH, events.size()));
    JobOutputs outputs =
        JobOutputs.await(
            kafka.bootstrapServers(), settings, JobOutputs.expected(settings, events), TIMEOUT);
    Jobs.cancel(job);

    assertThat(FailingOnceDeserializer.hasFailed()).isTrue();
    // The restarted source read again what came after the last checkpoint.
    assertThat(FailingOnceDeserializer.recordsRead()).isGreaterThan(events.size());
    return outputs;
  }

  private JobClient start(JobSettings settings) throws Exception {
    Configuration restarts = new Configuration();
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(restarts);
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineWorkflow(
        env,
        settings,
        failingSource(settings),
        KafkaConnectors.controlSource(settings),
        new InterestTrackerJob.Sinks(
            KafkaConnectors.recommendationSink(settings),
            KafkaConnectors.profileSink(settings),
            KafkaConnectors.deadLetterSink(settings),
            KafkaConnectors.operationsSink(settings)));
    return env.executeAsync("interest-tracker-with-failure");
  }

  /** The job's source as KafkaConnectors builds it, with the failing deserializer. */
  private static KafkaSource<RawRecord> failingSource(JobSettings settings) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setTopics(settings.inputTopic())
        .setGroupId(settings.consumerGroup())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new FailingOnceDeserializer(FAIL_AT_RECORD))
        .build();
  }
}
