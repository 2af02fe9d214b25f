package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.OperationKind;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.testing.ControlRequests;
import org.interesttracker.testing.FlinkAndKafkaTestBase;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.Jobs;
import org.interesttracker.testing.ModelVariants;
import org.interesttracker.testing.OutputTopic;
import org.interesttracker.testing.TopicContents;
import org.interesttracker.testing.VersionedPass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model lifecycle through Kafka, on a MiniCluster at parallelism 2 with exactly-once: model B
 * published and promoted through the control topic while the job serves A, every output before the
 * promotion made by A and after it, user by user, by B (a few users a bundle rebuilt for B, the
 * others served by A until their turn), each what a sequential pass with its version writes; the
 * job cancelled and restored from its latest checkpoint serves B without being told again; a
 * forgotten user's tombstones and audit record committed on their topics.
 */
class ModelLifecycleITCase extends FlinkAndKafkaTestBase {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String B = "streaming-variant-b";
  private static final int BATCH = 200;

  @TempDir Path checkpoints;
  @TempDir Path models;

  @Test
  void promotesBWhileServingAAndKeepsServingBAfterARestore() throws Exception {
    JobSettings settings = checkpointedRun(DeliveryGuarantee.EXACTLY_ONCE, checkpoints);
    Path modelB = ModelVariants.withoutPopularity(models.resolve("b"), B);
    String a = settings.loadModel().version();
    List<InteractionEvent> first = InteractionEvents.range(0, BATCH);
    List<InteractionEvent> second = InteractionEvents.range(BATCH, BATCH);
    List<InteractionEvent> all = Stream.concat(first.stream(), second.stream()).toList();

    JobClient job = start(settings, null);
    InteractionEvents.send(kafka.bootstrapServers(), settings.inputTopic(), first);
    awaitRecommendations(settings, BATCH);
    assertAllAnswer(
        settings, ControlRequests.publish(modelB, B, 0.0), OperationKind.MODEL_ACCEPTED);
    OperationsRecord promoted =
        assertAllAnswer(
                settings,
                ControlRequests.of(ControlAction.PROMOTE, B),
                OperationKind.MODEL_PROMOTED)
            .get(0);
    assertThat(promoted.getLiveVersion()).isEqualTo(B);
    assertThat(promoted.getPreviousVersion()).isEqualTo(a);

    // The answers are committed with a checkpoint that holds the promotion.
    Jobs.cancel(job);
    job = start(settings, latestCheckpoint(job.getJobID()));
    InteractionEvents.send(kafka.bootstrapServers(), settings.inputTopic(), second);
    List<Recommendation> outputs = awaitRecommendations(settings, 2 * BATCH);

    Map<String, String> byEvent = new HashMap<>();
    outputs.forEach(r -> byEvent.put(r.getEventId(), r.getModelVersion()));
    assertThat(first).allSatisfy(e -> assertThat(byEvent.get(e.getEventId())).isEqualTo(a));
    // A bundle rebuilds a few users for B; the others get A once more, until their turn (here
    // each user's events of the batch can all fall in one bundle).
    Map<String, String> versionsPerUser = VersionedPass.versionsPerUser(second, byEvent);
    assertThat(versionsPerUser.values())
        .allSatisfy(versions -> assertThat(versions).matches(VersionedPass.fromAToB(a, B)));
    assertThat(versionsPerUser.values().stream().filter(versions -> versions.contains(B)))
        .hasSizeGreaterThanOrEqualTo(settings.switchRebuildsPerBundle());
    assertThat(OutputTopic.RECOMMENDATIONS.perUser(outputs))
        .isEqualTo(
            VersionedPass.expectedPerUser(
                settings,
                settingsFor("unused").modelDir(modelB.toString()).build(),
                B,
                all,
                byEvent));

    ControlRequest forget = ControlRequests.forget("user-3");
    ControlRequests.send(kafka.bootstrapServers(), settings.controlTopic(), forget);
    List<OperationsRecord> audit =
        ControlRequests.awaitAnswers(
            kafka.bootstrapServers(), settings.operationsTopic(), forget, 1, TIMEOUT);
    assertThat(audit)
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.getKind()).isEqualTo(OperationKind.USER_FORGOTTEN);
              assertThat(record.getUserId()).isEqualTo("user-3");
            });
    for (String topic : List.of(settings.recommendationTopic(), settings.profileTopic())) {
      assertThat(TopicContents.tombstoneKeys(kafka.bootstrapServers(), topic, 1, TIMEOUT))
          .containsExactly("user-3");
    }
    assertThat(awaitAccumulator(job, JobCounters.ONLINE_HIT_RATE + " " + B)).isNotNull();
    Jobs.cancel(job);
  }

  private static List<OperationsRecord> assertAllAnswer(
      JobSettings settings, ControlRequest request, OperationKind kind) throws Exception {
    ControlRequests.send(kafka.bootstrapServers(), settings.controlTopic(), request);
    List<OperationsRecord> answers =
        ControlRequests.awaitAnswers(
            kafka.bootstrapServers(),
            settings.operationsTopic(),
            request,
            settings.parallelism(),
            TIMEOUT);
    assertThat(answers).extracting(OperationsRecord::getSubtask).containsExactlyInAnyOrder(0, 1);
    assertThat(answers).allSatisfy(answer -> assertThat(answer.getKind()).isEqualTo(kind));
    return answers;
  }

  /** A running job's accumulators reach the client with the task managers' heartbeats. */
  private static Object awaitAccumulator(JobClient job, String name) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    Map<String, Object> accumulators = job.getAccumulators().get();
    while (!accumulators.containsKey(name) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      accumulators = job.getAccumulators().get();
    }
    return accumulators.get(name);
  }

  private static List<Recommendation> awaitRecommendations(JobSettings settings, int count)
      throws Exception {
    return TopicContents.await(
        kafka.bootstrapServers(),
        settings.recommendationTopic(),
        Recommendation.class,
        count,
        TIMEOUT);
  }

  private static JobClient start(JobSettings settings, String restoreFrom) throws Exception {
    Configuration restore = new Configuration();
    if (restoreFrom != null) {
      restore.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(restore);
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineKafkaWorkflow(env, settings);
    return env.executeAsync("interest-tracker-model-lifecycle");
  }

  /** The newest complete checkpoint a cancelled job retained. */
  private String latestCheckpoint(JobID job) throws IOException {
    try (Stream<Path> directories = Files.list(checkpoints.resolve(job.toHexString()))) {
      return directories
          .filter(path -> path.getFileName().toString().startsWith("chk-"))
          .filter(path -> Files.exists(path.resolve("_metadata")))
          .max(
              Comparator.comparingLong(
                  path -> Long.parseLong(path.getFileName().toString().substring(4))))
          .orElseThrow()
          .toUri()
          .toString();
    }
  }
}
