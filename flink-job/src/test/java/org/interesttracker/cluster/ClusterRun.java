package org.interesttracker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.job.JobSettings;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.JobOutputs;

/**
 * One exactly-once job on the local cluster with topics of its own, fed in batches; remembers every
 * event it sent, so that what the job wrote can be compared with a sequential pass over them.
 */
final class ClusterRun {
  private static final int BATCH = 300;
  private static final int REDELIVERED = 30;
  // Four partitions: one per slot of the cluster, at every parallelism the tests use.
  private static final int PARTITIONS = 4;
  private static final Duration FIRST_OUTPUTS = Duration.ofMinutes(2);

  private final LocalCluster cluster;
  private final boolean authenticated;
  private final String name = UUID.randomUUID().toString().substring(0, 8);
  private final List<InteractionEvent> sent = new ArrayList<>();
  private int nextEvent;
  private String jobId;

  private ClusterRun(LocalCluster cluster, boolean authenticated) {
    this.cluster = cluster;
    this.authenticated = authenticated;
  }

  /**
   * Creates the run's topics, sends the first batch, submits the job and returns once the batch's
   * outputs are committed, that is, once the job has completed a checkpoint.
   */
  static ClusterRun start(LocalCluster cluster, int parallelism) throws Exception {
    return start(new ClusterRun(cluster, false), parallelism);
  }

  /**
   * As {@link #start}, the job reading and writing through the broker's SASL listener with the
   * credentials given in {@code --kafka-properties}.
   */
  static ClusterRun startAuthenticated(LocalCluster cluster, int parallelism) throws Exception {
    return start(new ClusterRun(cluster, true), parallelism);
  }

  private static ClusterRun start(ClusterRun run, int parallelism) throws Exception {
    OwnTopics.create(run.cluster, run.settings(1), PARTITIONS);
    run.sendBatch();
    run.resubmit(Optional.empty(), parallelism);
    run.awaitOutputs(FIRST_OUTPUTS);
    return run;
  }

  String jobId() {
    return jobId;
  }

  /** Submits the job, from a savepoint or checkpoint when given, and waits until it runs. */
  void resubmit(Optional<String> restoreFrom, int parallelism) throws InterruptedException {
    List<String> credentials =
        authenticated
            ? List.of("--kafka-properties", cluster.saslClientProperties().toString())
            : List.of();
    jobId = cluster.submit(settings(parallelism), restoreFrom, credentials);
    cluster.awaitRunning(jobId, FIRST_OUTPUTS);
  }

  /** The next {@value #BATCH} events. */
  void sendBatch() {
    send(InteractionEvents.range(nextEvent, BATCH));
    nextEvent += BATCH;
  }

  /**
   * The last events of the previous batch again, as a re-delivering producer sends them, then the
   * next batch.
   */
  void sendBatchWithRedeliveries() {
    send(InteractionEvents.range(nextEvent - REDELIVERED, REDELIVERED));
    sendBatch();
  }

  /**
   * Waits until every output of the events sent so far is committed and equals the sequential pass.
   */
  void awaitOutputs(Duration timeout) throws Exception {
    JobOutputs expected = expected();
    assertThat(JobOutputs.await(cluster.bootstrapServers(), settings(1), expected, timeout))
        .isEqualTo(expected);
  }

  /**
   * Every output of the events sent so far, each exactly once, as the sequential pass writes them.
   */
  void assertEveryOutputExactlyOnce(Duration timeout) throws Exception {
    JobOutputs expected = expected();
    JobOutputs outputs =
        JobOutputs.await(cluster.bootstrapServers(), settings(1), expected, timeout);
    assertThat(outputs.repeats()).as("records written twice").isZero();
    assertThat(outputs).isEqualTo(expected);
  }

  /** Every event sent so far, in order. */
  List<InteractionEvent> sent() {
    return List.copyOf(sent);
  }

  /** The run's settings, at parallelism 1 (the topics and ids are the same at every one). */
  JobSettings settings() {
    return settings(1);
  }

  private JobOutputs expected() {
    return JobOutputs.expected(settings(1), sent);
  }

  private void send(List<InteractionEvent> events) {
    InteractionEvents.send(cluster.bootstrapServers(), settings(1).inputTopic(), events);
    sent.addAll(events);
  }

  /** The run's settings; parallelism is the only one that changes between submissions. */
  private JobSettings settings(int parallelism) {
    return OwnTopics.settings(
            name, authenticated ? cluster.saslBootstrapServers() : cluster.bootstrapServers())
        .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .checkpointInterval(Duration.ofSeconds(1))
        .parallelism(parallelism)
        .build();
  }
}
