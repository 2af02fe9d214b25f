package org.interesttracker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.OperationKind;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.cluster.LocalCluster.ScriptFailure;
import org.interesttracker.job.JobSettings;
import org.interesttracker.testing.ControlRequests;
import org.interesttracker.testing.ModelVariants;
import org.interesttracker.testing.OutputTopic;
import org.interesttracker.testing.TopicContents;
import org.interesttracker.testing.VersionedPass;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failures an operator's cluster meets, and what its shipped configuration refuses, on the
 * cluster of {@code cluster/local-cluster.sh}: separate JobManager, TaskManager and broker
 * processes, the job submitted with the flink CLI from the lean job jar, exactly-once into Kafka.
 * Each test compares everything the job wrote, read as a {@code read_committed} consumer, with one
 * uninterrupted sequential pass over the same events.
 *
 * <p>Needs the assembled cluster and the job jar: runs in {@code mvn verify}, after {@code
 * package}.
 */
class LocalClusterIT {
  private static final Duration RECOVERY = Duration.ofMinutes(3);

  @TempDir static Path runDir;
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() {
    assumeThat(LocalCluster.isBuilt())
        .as("the cluster's jars or the job jar are missing: run `mvn verify` (or `mvn package`)")
        .isTrue();
    cluster = LocalCluster.start(runDir);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theShippedConfigurationRefusesAJarUploadThroughRest() throws Exception {
    HttpResponse<String> upload = cluster.uploadJar(LocalCluster.JOB_JAR);

    assertThat(upload.statusCode()).as(upload.body()).isBetween(400, 499);
    assertThat(cluster.get("/config").path("features").path("web-submit").asBoolean(true))
        .isFalse();
    assertThat(cluster.get("/jars").path("files")).isEmpty();
  }

  @Test
  void theJobAuthenticatesWithTheCredentialsOfItsKafkaProperties() throws Exception {
    ClusterRun run = ClusterRun.startAuthenticated(cluster, 2);
    run.sendBatch();

    run.assertEveryOutputExactlyOnce(RECOVERY);
    cluster.cancel(run.jobId());
  }

  @Test
  void wrongCredentialsFailTheSubmissionInOneLineThatHidesThePassword() throws Exception {
    String wrongPassword = "not-the-password-" + UUID.randomUUID();
    Path wrong = runDir.resolve("wrong-credentials.properties");
    Files.writeString(
        wrong,
        Files.readString(cluster.saslClientProperties())
            .replaceAll("password=\"[^\"]*\"", "password=\"" + wrongPassword + "\""));
    JobSettings settings =
        JobSettings.builder().bootstrapServers(cluster.saslBootstrapServers()).build();
    long started = System.nanoTime();

    ScriptFailure failure =
        catchThrowableOfType(
            ScriptFailure.class,
            () ->
                cluster.submit(
                    settings, Optional.empty(), List.of("--kafka-properties", wrong.toString())));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(failure.output().lines().toList())
        .containsExactly(
            "error: Kafka at "
                + cluster.saslBootstrapServers()
                + " refused the credentials of --kafka-properties:"
                + " Authentication failed: Invalid username or password");
    assertThat(failure.output()).doesNotContain(wrongPassword);
  }

  @Test
  void aTaskManagerKilledMidStreamRestartsTheJobFromItsLastCheckpoint() throws Exception {
    ClusterRun run = ClusterRun.start(cluster, 2);
    run.sendBatch();
    String victim = cluster.taskManagerRunning(run.jobId());

    cluster.kill(victim);
    run.sendBatch();
    cluster.startAgain(victim);

    run.assertEveryOutputExactlyOnce(RECOVERY);
    assertThat(cluster.failures(run.jobId())).isNotEmpty();
    cluster.cancel(run.jobId());
  }

  /**
   * Model B published and promoted through the control topic while the cluster's job serves A:
   * every subtask (separate TaskManager processes) checks B and answers, and afterwards each user
   * moves from A to B once, every output what a sequential pass with its version writes.
   */
  @Test
  void aModelPublishedAndPromotedThroughTheControlTopicServesEveryTaskManager(@TempDir Path models)
      throws Exception {
    String b = "streaming-variant-b";
    Path modelB = ModelVariants.withoutPopularity(models.resolve("b"), b);
    ClusterRun run = ClusterRun.start(cluster, 2);
    JobSettings settings = run.settings();
    String a = settings.loadModel().version();
    for (ControlRequest request :
        List.of(
            ControlRequests.publish(modelB, b, 0.0),
            ControlRequests.of(ControlAction.PROMOTE, b))) {
      ControlRequests.send(cluster.bootstrapServers(), settings.controlTopic(), request);
      assertThat(
              ControlRequests.awaitAnswers(
                  cluster.bootstrapServers(), settings.operationsTopic(), request, 2, RECOVERY))
          .extracting(OperationsRecord::getKind)
          .containsOnly(
              request.getAction() == ControlAction.PUBLISH
                  ? OperationKind.MODEL_ACCEPTED
                  : OperationKind.MODEL_PROMOTED)
          .hasSize(2);
    }
    run.sendBatch();
    run.sendBatch();

    List<InteractionEvent> sent = run.sent();
    List<Recommendation> outputs =
        TopicContents.await(
            cluster.bootstrapServers(),
            settings.recommendationTopic(),
            Recommendation.class,
            sent.size(),
            RECOVERY);
    Map<String, String> byEvent = new HashMap<>();
    outputs.forEach(r -> byEvent.put(r.getEventId(), r.getModelVersion()));
    assertThat(VersionedPass.versionsPerUser(sent, byEvent).values())
        .allSatisfy(versions -> assertThat(versions).matches(VersionedPass.fromAToB(a, b)))
        .anySatisfy(versions -> assertThat(versions).contains(b));
    assertThat(OutputTopic.RECOMMENDATIONS.perUser(outputs))
        .isEqualTo(
            VersionedPass.expectedPerUser(
                settings,
                JobSettings.builder()
                    .bootstrapServers(cluster.bootstrapServers())
                    .modelDir(modelB.toString())
                    .build(),
                b,
                sent,
                byEvent));
    cluster.cancel(run.jobId());
  }

  /**
   * A broker back within the clients' timeouts is not even a failure: sources, sinks and the open
   * transactions carry on once it answers, the transactions' state recovered from its disk.
   */
  @Test
  void theBrokerKilledAndStartedAgainOnItsDataLosesAndRepeatsNothing() throws Exception {
    ClusterRun run = ClusterRun.start(cluster, 2);
    run.sendBatch();

    cluster.kill("kafka");
    cluster.startAgain("kafka");
    cluster.awaitReady();
    run.sendBatch();

    run.assertEveryOutputExactlyOnce(RECOVERY);
    cluster.cancel(run.jobId());
  }

  /**
   * Without a high-availability service a JobManager started again knows no jobs: the operator
   * submits the job again from its newest retained checkpoint, the path docs/cluster.md gives.
   */
  @Test
  void afterAJobManagerRestartTheJobResumesFromItsRetainedCheckpoint() throws Exception {
    ClusterRun run = ClusterRun.start(cluster, 2);
    run.sendBatch();

    cluster.kill("jobmanager");
    cluster.startAgain("jobmanager");
    cluster.awaitReady();
    assertThat(cluster.get("/jobs/overview").path("jobs")).isEmpty();
    run.resubmit(Optional.of(cluster.latestCheckpoint(run.jobId())), 2);
    run.sendBatch();

    run.assertEveryOutputExactlyOnce(RECOVERY);
    cluster.cancel(run.jobId());
  }

  /**
   * Stop with a savepoint, then the job jar submitted from it at twice the parallelism, then back:
   * keyed state, de-duplication (a batch re-sends events of the one before) and timers move with
   * the users to their new subtasks.
   */
  @Test
  void stopWithSavepointAndRescaleTwoToFourToTwoCarriesStateOver() throws Exception {
    ClusterRun run = ClusterRun.start(cluster, 2);

    run.resubmit(Optional.of(cluster.stopWithSavepoint(run.jobId())), 4);
    run.sendBatchWithRedeliveries();
    run.awaitOutputs(RECOVERY);
    run.resubmit(Optional.of(cluster.stopWithSavepoint(run.jobId())), 2);
    run.sendBatchWithRedeliveries();

    run.assertEveryOutputExactlyOnce(RECOVERY);
    cluster.cancel(run.jobId());
  }
}
