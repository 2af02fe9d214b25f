package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.testing.FlinkAndKafkaTestBase;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.JobOutputs;
import org.interesttracker.testing.Jobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while the job works through a batch and comes back seconds later. The job
 * recovers by itself, under the restart strategy the deployment configures, and a {@code
 * read_committed} consumer then sees every output: once with exactly-once, at least once otherwise.
 */
class BrokerOutageITCase extends FlinkAndKafkaTestBase {
  private static final Duration OUTAGE = Duration.ofSeconds(8);
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final int BATCH = 400;

  @TempDir Path checkpoints;

  @Test
  void exactlyOnceLosesAndRepeatsNothingAcrossABrokerRestart() throws Exception {
    JobSettings settings = checkpointedRun(DeliveryGuarantee.EXACTLY_ONCE, checkpoints);
    List<InteractionEvent> events = InteractionEvents.range(0, 2 * BATCH);

    JobOutputs outputs = runThroughAnOutage(settings, events);

    assertThat(outputs).isEqualTo(JobOutputs.expected(settings, events));
  }

  @Test
  void atLeastOnceLosesNothingAcrossABrokerRestart() throws Exception {
    JobSettings settings = checkpointedRun(DeliveryGuarantee.AT_LEAST_ONCE, checkpoints);
    List<InteractionEvent> events = InteractionEvents.range(0, 2 * BATCH);

    JobOutputs outputs = runThroughAnOutage(settings, events);

    assertThat(outputs.withoutRepeats()).isEqualTo(JobOutputs.expected(settings, events));
  }

  /**
   * Lets the job commit the first batch, sends the second and stops the broker while the job is
   * still working on it; restarts the broker after the outage and waits for every output.
   */
  private JobOutputs runThroughAnOutage(JobSettings settings, List<InteractionEvent> events)
      throws Exception {
    List<InteractionEvent> first = events.subList(0, BATCH);
    InteractionEvents.send(kafka.bootstrapServers(), settings.inputTopic(), first);
    JobClient job = start(settings);
    JobOutputs.await(
        kafka.bootstrapServers(), settings, JobOutputs.expected(settings, first), TIMEOUT);

    InteractionEvents.send(
        kafka.bootstrapServers(), settings.inputTopic(), events.subList(BATCH, events.size()));
    kafka.stop();
    Thread.sleep(OUTAGE.toMillis());
    kafka.restart();

    JobOutputs outputs =
        JobOutputs.await(
            kafka.bootstrapServers(), settings, JobOutputs.expected(settings, events), TIMEOUT);
    JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
    Jobs.cancel(job);
    assertThat(status).isEqualTo(JobStatus.RUNNING);
    return outputs;
  }

  /** The job with the restart strategy of deploy/flink/config.yaml, its backoff shortened. */
  private static JobClient start(JobSettings settings) throws Exception {
    Configuration restarts = new Configuration();
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    restarts.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofMillis(500));
    restarts.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        Duration.ofSeconds(5));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(restarts);
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineKafkaWorkflow(env, settings);
    return env.executeAsync("interest-tracker-broker-outage");
  }
}
