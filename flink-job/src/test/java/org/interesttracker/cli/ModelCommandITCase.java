package org.interesttracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.OperationKind;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.avro.VersionQuality;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.testing.KafkaTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code model} and {@code forget} against a real broker, with the test in the job's part: it reads
 * the request the command wrote and answers it as subtasks of the job do, transactionally.
 */
class ModelCommandITCase extends KafkaTestBase {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static final AvroCodec<ControlRequest> REQUESTS = AvroCodec.of(ControlRequest.class);
  private static final AvroCodec<OperationsRecord> ANSWERS = AvroCodec.of(OperationsRecord.class);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private String controlTopic;
  private String operationsTopic;
  private FakeJob job;

  @BeforeEach
  void createTopics() {
    int n = TOPICS.incrementAndGet();
    controlTopic = "control-" + n;
    operationsTopic = "operations-" + n;
    kafka.createTopics(1, controlTopic);
    // More than one partition: the answers are keyed by request id and can land in any.
    kafka.createTopics(3, operationsTopic);
    job = new FakeJob();
  }

  @AfterEach
  void closeJob() {
    job.close();
  }

  @Test
  void publishTakesTheVersionFromTheManifestAndSucceedsWhenEverySubtaskAccepts(
      @TempDir Path modelDir) throws Exception {
    Files.writeString(modelDir.resolve("manifest.json"), "{\"model_version\": \"v2\"}");
    long before = System.currentTimeMillis();

    CompletableFuture<Integer> command =
        start("model", "publish", "--model-dir", modelDir.toString(), "--canary-share", "0.1");
    ConsumerRecord<byte[], byte[]> sent = job.nextRequest();
    ControlRequest request = REQUESTS.decode(sent.value());
    assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("control");
    assertThat(UUID.fromString(request.getRequestId())).isNotNull();
    assertThat(request.getRequestedAt()).isBetween(before, System.currentTimeMillis());
    assertThat(request.getAction()).isEqualTo(ControlAction.PUBLISH);
    assertThat(request.getModelVersion()).isEqualTo("v2");
    assertThat(request.getModelDir()).isEqualTo(modelDir.toString());
    assertThat(request.getCanaryShare()).isEqualTo(0.1);
    assertThat(request.getUserId()).isNull();

    // Neither an answer to another request nor one the job aborted is an answer to this one.
    job.answerAndAbort(answer(request, 1, OperationKind.MODEL_REFUSED, "aborted").build());
    job.answer(
        answer(request, 1, OperationKind.MODEL_ACCEPTED, "checked v2; it serves 10% of users")
            .setRequestId("another-request")
            .build());
    job.answer(
        answer(request, 1, OperationKind.MODEL_ACCEPTED, "checked v2; it serves 10% of users")
            .build(),
        answer(request, 0, OperationKind.MODEL_ACCEPTED, "checked v2; it serves 10% of users")
            .build());

    assertThat(command.get(30, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "subtask 1: MODEL_ACCEPTED checked v2; it serves 10% of users",
            "subtask 0: MODEL_ACCEPTED checked v2; it serves 10% of users");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aRefusalBySomeSubtaskExitsWithTheUsageErrorCode(@TempDir Path noManifest) throws Exception {
    CompletableFuture<Integer> command =
        start("model", "publish", "--model-dir", noManifest.toString(), "--model-version", "v3");
    ControlRequest request = REQUESTS.decode(job.nextRequest().value());
    assertThat(request.getModelVersion()).isEqualTo("v3");
    assertThat(request.getCanaryShare()).isNull();

    job.answer(
        answer(request, 0, OperationKind.MODEL_ACCEPTED, "checked v3; it serves 0% of users")
            .build(),
        answer(request, 1, OperationKind.MODEL_REFUSED, "the manifest declares v2, not v3")
            .build());

    assertThat(command.get(30, TimeUnit.SECONDS)).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(out.toString())
        .contains("subtask 1: MODEL_REFUSED the manifest declares v2, not v3");
    assertThat(err.toString().lines()).containsExactly("error: 1 of 2 answers refused the request");
  }

  @Test
  void promoteNamesTheCandidateAndRollbackNothing() throws Exception {
    CompletableFuture<Integer> promote = start("model", "promote", "v2");
    ControlRequest promotion = REQUESTS.decode(job.nextRequest().value());
    assertThat(promotion.getAction()).isEqualTo(ControlAction.PROMOTE);
    assertThat(promotion.getModelVersion()).isEqualTo("v2");
    job.answer(
        answer(promotion, 0, OperationKind.MODEL_PROMOTED, "v2 is live").build(),
        answer(promotion, 1, OperationKind.MODEL_PROMOTED, "v2 is live").build());
    assertThat(promote.get(30, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();

    CompletableFuture<Integer> rollback = start("model", "rollback");
    ControlRequest withdrawal = REQUESTS.decode(job.nextRequest().value());
    assertThat(withdrawal.getAction()).isEqualTo(ControlAction.ROLLBACK);
    assertThat(withdrawal.getModelVersion()).isNull();
    assertThat(withdrawal.getModelDir()).isNull();
    assertThat(withdrawal.getRequestId()).isNotEqualTo(promotion.getRequestId());
    job.answer(
        answer(withdrawal, 0, OperationKind.MODEL_ROLLED_BACK, "v1 is live").build(),
        answer(withdrawal, 1, OperationKind.MODEL_ROLLED_BACK, "v1 is live").build());
    assertThat(rollback.get(30, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();

    assertThat(out.toString().lines())
        .containsExactly(
            "subtask 0: MODEL_PROMOTED v2 is live",
            "subtask 1: MODEL_PROMOTED v2 is live",
            "subtask 0: MODEL_ROLLED_BACK v1 is live",
            "subtask 1: MODEL_ROLLED_BACK v1 is live");
  }

  @Test
  void statusShowsWhatEachSubtaskServesAndTheQualitySummedOverSubtasks() throws Exception {
    CompletableFuture<Integer> command = start("model", "status");
    ControlRequest request = REQUESTS.decode(job.nextRequest().value());
    assertThat(request.getAction()).isEqualTo(ControlAction.STATUS);

    job.answer(
        serving(answer(request, 1, OperationKind.STATUS, "serving"))
            .setQuality(
                List.of(
                    new VersionQuality("v1", 300L, 0.4, 0.2, 0.3, 0.15),
                    new VersionQuality("v2-canary", 50L, 0.5, 0.3, 0.3, 0.15)))
            .build(),
        serving(answer(request, 0, OperationKind.STATUS, "serving"))
            .setQuality(
                List.of(
                    new VersionQuality("v1", 100L, 0.2, 0.1, 0.1, 0.05),
                    new VersionQuality("v2-canary", 0L, 0.0, 0.0, 0.0, 0.0),
                    new VersionQuality("v0", 0L, 0.0, 0.0, 0.0, 0.0)))
            .build());

    assertThat(command.get(30, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    assertThat(out.toString().lines())
        .containsSubsequence(
            "subtask 0 serves live v1, candidate v2-canary (canary share 0.25), previous v0",
            "subtask 1 serves live v1, candidate v2-canary (canary share 0.25), previous v0",
            "version     evaluated     HR@K   NDCG@K   popularity HR   popularity NDCG",
            "v1                400   0.3500   0.1750          0.2500            0.1250",
            "v2-canary          50   0.5000   0.3000          0.3000            0.1500",
            "v0                  0        -        -               -                 -");
  }

  @Test
  void forgetWaitsForTheOneSubtaskThatOwnsTheUser() throws Exception {
    long start = System.nanoTime();
    CompletableFuture<Integer> command = start("forget", "--user", "u42", "--timeout", "60s");
    ControlRequest request = REQUESTS.decode(job.nextRequest().value());
    assertThat(request.getAction()).isEqualTo(ControlAction.FORGET);
    assertThat(request.getUserId()).isEqualTo("u42");

    job.answer(
        answer(request, 3, OperationKind.USER_FORGOTTEN, "erased the user's state")
            .setParallelism(4)
            .setUserId("u42")
            .build());

    assertThat(command.get(30, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(out.toString().lines())
        .containsExactly("subtask 3: USER_FORGOTTEN erased the user's state");
  }

  @Test
  void aRefusedForgetExitsWithTheUsageErrorCode() throws Exception {
    CompletableFuture<Integer> command = start("forget", "--user", " ");
    ControlRequest request = REQUESTS.decode(job.nextRequest().value());

    job.answer(
        answer(request, 0, OperationKind.REQUEST_REFUSED, "a FORGET request needs a user_id")
            .build());

    assertThat(command.get(30, TimeUnit.SECONDS)).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(out.toString().lines())
        .containsExactly("subtask 0: REQUEST_REFUSED a FORGET request needs a user_id");
    assertThat(err.toString().lines()).containsExactly("error: 1 of 1 answers refused the request");
  }

  @Test
  void missingAnswersAreATimeoutThatSaysHowManyCame() throws Exception {
    CompletableFuture<Integer> command = start("model", "status", "--timeout", "3s");
    ControlRequest request = REQUESTS.decode(job.nextRequest().value());
    job.answer(answer(request, 1, OperationKind.STATUS, "serving").build());

    assertThat(command.get(30, TimeUnit.SECONDS)).isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(out.toString().lines()).containsExactly("subtask 1: STATUS serving");
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("error: 1 of 2 subtasks answered the STATUS request " + request.getRequestId())
        .contains("within 3 s", "next checkpoint", "--timeout");
  }

  @Test
  void noAnswerAtAllIsATimeoutNamingTheTopics() throws Exception {
    int exitCode = run("model", "rollback", "--timeout", "2s");

    assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("error: no subtask answered the ROLLBACK request ")
        .contains(operationsTopic, controlTopic, "Under exactly-once");
    assertThat(job.nextRequest()).isNotNull();
  }

  @Test
  void publishWithoutAReadableManifestOrAVersionIsAUsageErrorAndSendsNothing(
      @TempDir Path remoteOnly) {
    assertThat(run("model", "publish", "--model-dir", remoteOnly.toString()))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString().lines())
        .containsExactly(
            "error: cannot read "
                + remoteOnly.resolve("manifest.json")
                + " on this machine for the model version; give --model-version");

    err.getBuffer().setLength(0);
    assertThat(
            run(
                "model",
                "publish",
                "--model-dir",
                remoteOnly.toString(),
                "--model-version",
                "v2",
                "--canary-share",
                "1.5"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString().lines())
        .containsExactly("error: --canary-share must be between 0 and 1, got 1.5");
    assertThat(job.requestsSoFar()).isZero();
  }

  @Test
  void modelWithoutASubcommandIsAUsageError() {
    assertThat(execute("model")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("name a model command").contains("publish", "status");
  }

  private CompletableFuture<Integer> start(String... args) {
    return CompletableFuture.supplyAsync(() -> run(args));
  }

  /** Runs a command against this test's topics, with a timeout short enough for a test. */
  private int run(String... args) {
    List<String> command = new ArrayList<>(Arrays.asList(args));
    command.addAll(
        List.of(
            "--bootstrap-servers=" + kafka.bootstrapServers(),
            "--control-topic=" + controlTopic,
            "--operations-topic=" + operationsTopic));
    if (!command.contains("--timeout")) {
      command.add("--timeout=20s");
    }
    return execute(command.toArray(String[]::new));
  }

  private int execute(String... args) {
    CommandLine cli = InterestTrackerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** An answer of {@code subtask} out of 2, as the job writes it. */
  private static OperationsRecord.Builder answer(
      ControlRequest request, int subtask, OperationKind kind, String detail) {
    return OperationsRecord.newBuilder()
        .setRequestId(request.getRequestId())
        .setKind(kind)
        .setSubtask(subtask)
        .setParallelism(2)
        .setTime(System.currentTimeMillis())
        .setDetail(detail)
        .setLiveVersion("v1");
  }

  private static OperationsRecord.Builder serving(OperationsRecord.Builder answer) {
    return answer.setCandidateVersion("v2-canary").setCanaryShare(0.25).setPreviousVersion("v0");
  }

  /** The job's part: reads the control topic from its start, answers in transactions. */
  private final class FakeJob implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> requests;
    private final KafkaProducer<byte[], byte[]> answers;

    FakeJob() {
      requests =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                  "read_committed"),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      TopicPartition partition = new TopicPartition(controlTopic, 0);
      requests.assign(List.of(partition));
      requests.seekToBeginning(List.of(partition));
      answers =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                  "fake-job-" + operationsTopic),
              new ByteArraySerializer(),
              new ByteArraySerializer());
      answers.initTransactions();
    }

    /** The next request on the control topic, waiting for it as the job would. */
    ConsumerRecord<byte[], byte[]> nextRequest() {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : requests.poll(Duration.ofMillis(200))) {
          requests.seek(new TopicPartition(controlTopic, 0), record.offset() + 1);
          return record;
        }
      }
      throw new AssertionError("no request on " + controlTopic + " within 30 s");
    }

    long requestsSoFar() {
      TopicPartition partition = new TopicPartition(controlTopic, 0);
      return requests.endOffsets(List.of(partition)).get(partition);
    }

    /** Writes the answers in one transaction, as one checkpoint of the job commits them. */
    void answer(OperationsRecord... records) {
      write(records);
      answers.commitTransaction();
    }

    /** Writes the answers in a transaction that is aborted, as by a failure before a checkpoint. */
    void answerAndAbort(OperationsRecord... records) {
      write(records);
      answers.abortTransaction();
    }

    private void write(OperationsRecord... records) {
      answers.beginTransaction();
      for (OperationsRecord record : records) {
        answers.send(
            new ProducerRecord<>(
                operationsTopic,
                record.getRequestId().getBytes(StandardCharsets.UTF_8),
                ANSWERS.encode(record)));
      }
    }

    @Override
    public void close() {
      requests.close();
      answers.close();
    }
  }
}
