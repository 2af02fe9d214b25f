package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.Reason;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.testing.FlinkAndKafkaTestBase;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.JobOutputs;
import org.interesttracker.testing.Jobs;
import org.interesttracker.testing.OutputTopic;
import org.interesttracker.testing.TopicContents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on a Flink MiniCluster (parallelism 2) against a real in-process Kafka broker. */
class InterestTrackerJobITCase extends FlinkAndKafkaTestBase {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final AvroCodec<InteractionEvent> CODEC = AvroCodec.of(InteractionEvent.class);

  @TempDir Path checkpoints;
  private JobSettings settings;

  @BeforeEach
  void newRunSettings() {
    String run = newRun();
    settings =
        settingsFor(run)
            .checkpointInterval(Duration.ofMillis(300))
            .checkpointDir(checkpoints.toUri().toString())
            .parallelism(2)
            .build();
    createTopics(settings);
  }

  @Test
  void everyEventIsAppliedDeadLetteredOrDroppedAsADuplicate() throws Exception {
    List<InteractionEvent> events = InteractionEvents.range(0, 400);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (InteractionEvent event : events) {
        send(producer, event);
        if (event == events.get(7)) {
          send(producer, event); // a producer's retry
        }
      }
      send(producer, "user-1", "this is not avro".getBytes(StandardCharsets.UTF_8));
      send(producer, withUser(events.get(0), ""));
      send(producer, withTime(events.get(1), 1000L));
    }

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineWorkflow(
        env,
        settings,
        boundedSource(settings.inputTopic()),
        boundedSource(settings.controlTopic()),
        new InterestTrackerJob.Sinks(
            KafkaConnectors.recommendationSink(settings),
            KafkaConnectors.profileSink(settings),
            KafkaConnectors.deadLetterSink(settings),
            KafkaConnectors.operationsSink(settings)));
    JobExecutionResult result = env.execute("interest-tracker-bounded");

    List<Recommendation> recommendations = recommendations(events.size());
    List<DeadLetter> deadLetters =
        TopicContents.await(
            kafka.bootstrapServers(), settings.deadLetterTopic(), DeadLetter.class, 3, TIMEOUT);
    assertThat(deadLetters)
        .extracting(DeadLetter::getReason)
        .containsExactlyInAnyOrder(
            DeadLetterReason.UNDECODABLE,
            DeadLetterReason.MISSING_FIELD,
            DeadLetterReason.TIMESTAMP_OUT_OF_RANGE);
    assertThat(deadLetters)
        .allSatisfy(letter -> assertThat(letter.getSourceTopic()).isEqualTo(settings.inputTopic()));
    assertThat(result.<Long>getAccumulatorResult(JobCounters.EVENTS_IN)).isEqualTo(404L);
    assertThat(result.<Long>getAccumulatorResult(JobCounters.EVENTS_APPLIED)).isEqualTo(400L);
    // Only when a strength moved more than the profile-change share.
    assertThat(result.<Long>getAccumulatorResult(JobCounters.PROFILES_OUT))
        .isEqualTo((long) OutputTopic.PROFILES.expected().apply(settings, events).size())
        .isLessThan(400L);
    assertThat(result.<Long>getAccumulatorResult(JobCounters.DUPLICATES)).isEqualTo(1L);
    assertThat(result.<Long>getAccumulatorResult(JobCounters.DEAD_LETTERS)).isEqualTo(3L);
    for (String reason : List.of("UNDECODABLE", "MISSING_FIELD", "TIMESTAMP_OUT_OF_RANGE")) {
      assertThat(result.<Long>getAccumulatorResult(JobCounters.DEAD_LETTERS + "." + reason))
          .as(reason)
          .isEqualTo(1L);
    }
    // The job-wide figures the web UI shows on the job's page.
    assertThat(result.<Double>getAccumulatorResult(JobCounters.MODEL_COVERAGE)).isEqualTo(1.0);
    assertThat(result.<Double>getAccumulatorResult(JobCounters.ONLINE_NDCG)).isBetween(0.0, 1.0);
    assertThat(result.<Double>getAccumulatorResult(JobCounters.ONLINE_HIT_RATE))
        .isBetween(result.<Double>getAccumulatorResult(JobCounters.ONLINE_NDCG), 1.0);
    assertThat(result.<Long>getAccumulatorResult(JobCounters.RECOMMENDATIONS_OUT)).isEqualTo(400L);
    assertThat(recommendations).extracting(Recommendation::getEventId).doesNotHaveDuplicates();
    assertRecommendationsRespectHistories(events, recommendations);
    JobOutputs expected = JobOutputs.expected(settings, events);
    assertThat(JobOutputs.await(kafka.bootstrapServers(), settings, expected, TIMEOUT))
        .isEqualTo(expected);
  }

  /**
   * Per user, in event order: never an item the user already interacted with, reasons only from
   * their own history, the first event a new user, the first in another scene a new-in-scene.
   */
  private static void assertRecommendationsRespectHistories(
      List<InteractionEvent> events, List<Recommendation> recommendations) {
    Map<String, Recommendation> byEvent = new HashMap<>();
    recommendations.forEach(r -> byEvent.put(r.getEventId(), r));
    Map<String, Set<String>> seenItems = new HashMap<>();
    Map<String, Set<String>> seenScenes = new HashMap<>();
    for (InteractionEvent event : events) {
      Set<String> items = seenItems.computeIfAbsent(event.getUserId(), u -> new HashSet<>());
      Set<String> scenes = seenScenes.computeIfAbsent(event.getUserId(), u -> new HashSet<>());
      ColdStart expectedColdStart =
          items.isEmpty()
              ? ColdStart.NEW_USER
              : scenes.contains(event.getScene()) ? ColdStart.NONE : ColdStart.NEW_IN_SCENE;
      items.add(event.getItemId());
      scenes.add(event.getScene());
      Recommendation recommendation = byEvent.get(event.getEventId());
      assertThat(recommendation.getScene()).isEqualTo(event.getScene());
      assertThat(recommendation.getColdStart()).isEqualTo(expectedColdStart);
      assertThat(recommendation.getItems()).hasSize(10);
      assertThat(recommendation.getItems())
          .extracting(RecommendedItem::getItemId)
          .doesNotContainAnyElementsOf(items);
      assertThat(recommendation.getItems())
          .flatExtracting(RecommendedItem::getReasons)
          .extracting(Reason::getItemId)
          .isSubsetOf(items);
    }
  }

  @Test
  void restartFromACheckpointKeepsEveryUsersState() throws Exception {
    List<InteractionEvent> before = InteractionEvents.range(0, 200);
    List<InteractionEvent> after = InteractionEvents.range(200, 200);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      before.forEach(event -> send(producer, event));
    }
    JobClient first = startUnbounded(new Configuration());
    recommendations(before.size());
    Path checkpoint = checkpointTakenAfterNow();
    Jobs.cancel(first);

    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      send(producer, before.get(3)); // re-delivered after the restart: the state remembers it
      after.forEach(event -> send(producer, event));
    }
    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
    JobClient second = startUnbounded(restore);
    List<InteractionEvent> all = new ArrayList<>(before);
    all.addAll(after);
    JobOutputs expected = JobOutputs.expected(settings, all);
    JobOutputs outputs = JobOutputs.await(kafka.bootstrapServers(), settings, expected, TIMEOUT);
    Jobs.cancel(second);

    assertThat(outputs).isEqualTo(expected);
  }

  private JobClient startUnbounded(Configuration configuration) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(configuration);
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineKafkaWorkflow(env, settings);
    return env.executeAsync("interest-tracker-unbounded");
  }

  /**
   * A checkpoint that certainly holds everything processed so far: checkpoints run one at a time,
   * so the second to complete from now was triggered after this call. Only the latest is retained.
   */
  private Path checkpointTakenAfterNow() throws Exception {
    int target = latestCheckpointNumber() + 2;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (latestCheckpointNumber() < target) {
      assertThat(System.nanoTime()).as("waiting for checkpoint %d", target).isLessThan(deadline);
      Thread.sleep(100);
    }
    return latestCheckpoint().orElseThrow();
  }

  private int latestCheckpointNumber() throws Exception {
    return latestCheckpoint().map(InterestTrackerJobITCase::checkpointNumber).orElse(0);
  }

  /**
   * The newest completed checkpoint ({@code <job>/chk-N/_metadata}). Only the job and {@code chk-N}
   * directories are listed, never walked into: Flink deletes older checkpoints and their shared
   * files meanwhile.
   */
  private Optional<Path> latestCheckpoint() throws Exception {
    List<Path> completed = new ArrayList<>();
    try (Stream<Path> jobs = Files.list(checkpoints)) {
      for (Path job : jobs.toList()) {
        try (Stream<Path> entries = Files.list(job)) {
          entries
              .filter(path -> path.getFileName().toString().startsWith("chk-"))
              .filter(path -> Files.exists(path.resolve("_metadata")))
              .forEach(completed::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
          // not a job's directory, or gone meanwhile
        }
      }
    }
    return completed.stream()
        .max(Comparator.comparingInt(InterestTrackerJobITCase::checkpointNumber));
  }

  private static int checkpointNumber(Path checkpointDir) {
    return Integer.parseInt(checkpointDir.getFileName().toString().substring("chk-".length()));
  }

  private KafkaSource<RawRecord> boundedSource(String topic) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setTopics(topic)
        .setGroupId(settings.consumerGroup())
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setDeserializer(new RawRecordDeserializer())
        .build();
  }

  private List<Recommendation> recommendations(int expected) throws Exception {
    return TopicContents.await(
        kafka.bootstrapServers(),
        settings.recommendationTopic(),
        Recommendation.class,
        expected,
        TIMEOUT);
  }

  private static InteractionEvent withUser(InteractionEvent event, String user) {
    return InteractionEvent.newBuilder(event).setEventId("bad-user").setUserId(user).build();
  }

  private static InteractionEvent withTime(InteractionEvent event, long time) {
    return InteractionEvent.newBuilder(event).setEventId("bad-time").setTimestamp(time).build();
  }

  private void send(KafkaProducer<byte[], byte[]> producer, InteractionEvent event) {
    send(producer, event.getUserId(), CODEC.encode(event));
  }

  private void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) {
    producer.send(
        new ProducerRecord<>(settings.inputTopic(), key.getBytes(StandardCharsets.UTF_8), value));
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }
}
