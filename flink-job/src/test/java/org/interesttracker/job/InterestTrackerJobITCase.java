package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Reason;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.interest.InterestUpdater;
import org.interesttracker.local.EmbeddedKafkaBroker;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;
import org.interesttracker.serving.Recommender;
import org.interesttracker.testing.TopicContents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on a Flink MiniCluster (parallelism 2) against a real in-process Kafka broker. */
class InterestTrackerJobITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final long T0 = 1_700_000_000_000L;
  private static final String[] SCENES = {"home", "search", "video", "shop"};
  private static final EventType[] TYPES = {EventType.VIEW, EventType.CLICK, EventType.LIKE};
  private static final AvroCodec<InteractionEvent> CODEC = AvroCodec.of(InteractionEvent.class);

  private static EmbeddedKafkaBroker kafka;

  @TempDir Path checkpoints;
  private JobSettings settings;

  @BeforeAll
  static void startKafka() {
    kafka = new EmbeddedKafkaBroker().start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @BeforeEach
  void createTopics() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    settings =
        JobSettings.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .inputTopic("interactions-" + run)
            .profileTopic("profiles-" + run)
            .deadLetterTopic("dead-letters-" + run)
            .recommendationTopic("recommendations-" + run)
            .consumerGroup("job-" + run)
            .checkpointInterval(Duration.ofMillis(300))
            .checkpointDir(checkpoints.toUri().toString())
            .parallelism(2)
            .build();
    kafka.createTopics(
        2,
        settings.inputTopic(),
        settings.profileTopic(),
        settings.deadLetterTopic(),
        settings.recommendationTopic());
  }

  @Test
  void everyEventBecomesAProfileADeadLetterOrADroppedDuplicate() throws Exception {
    List<InteractionEvent> events = events(0, 400);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      events.forEach(event -> send(producer, event));
      send(producer, events.get(7)); // a re-delivery
      send(producer, "user-1", "this is not avro".getBytes(StandardCharsets.UTF_8));
      send(producer, withUser(events.get(0), ""));
      send(producer, withTime(events.get(1), 1000L));
    }

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    InterestTrackerJob.configure(env, settings);
    InterestTrackerJob.defineWorkflow(
        env,
        settings,
        boundedSource(),
        new InterestTrackerJob.Sinks(
            KafkaConnectors.recommendationSink(settings),
            KafkaConnectors.profileSink(settings),
            KafkaConnectors.deadLetterSink(settings)));
    JobExecutionResult result = env.execute("interest-tracker-bounded");

    List<InterestProfile> profiles = profiles(events.size());
    List<Recommendation> recommendations = recommendations(events.size());
    List<DeadLetter> deadLetters =
        TopicContents.await(
            kafka.bootstrapServers(), settings.deadLetterTopic(), DeadLetter.class, 3, TIMEOUT);
    assertThat(profiles).hasSize(events.size());
    assertThat(profiles).extracting(InterestProfile::getEventId).doesNotHaveDuplicates();
    assertThat(deadLetters)
        .extracting(DeadLetter::getReason)
        .containsExactlyInAnyOrder(
            DeadLetterReason.UNDECODABLE,
            DeadLetterReason.MISSING_FIELD,
            DeadLetterReason.TIMESTAMP_OUT_OF_RANGE);
    assertThat(deadLetters)
        .allSatisfy(letter -> assertThat(letter.getSourceTopic()).isEqualTo(settings.inputTopic()));
    assertThat(result.<Long>getAccumulatorResult(JobCounters.EVENTS_IN)).isEqualTo(404L);
    assertThat(result.<Long>getAccumulatorResult(JobCounters.PROFILES_OUT)).isEqualTo(400L);
    assertThat(result.<Long>getAccumulatorResult(JobCounters.DUPLICATES)).isEqualTo(1L);
    assertThat(result.<Long>getAccumulatorResult(JobCounters.DEAD_LETTERS)).isEqualTo(3L);
    assertThat(result.<Long>getAccumulatorResult(JobCounters.RECOMMENDATIONS_OUT)).isEqualTo(400L);
    assertThat(recommendations).extracting(Recommendation::getEventId).doesNotHaveDuplicates();
    assertRecommendationsRespectHistories(events, recommendations);
    Expected expected = expected(events);
    assertThat(latestPerUser(profiles)).isEqualTo(expected.profiles());
    assertThat(latestRecommendationPerUser(recommendations)).isEqualTo(expected.recommendations());
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
    List<InteractionEvent> before = events(0, 200);
    List<InteractionEvent> after = events(200, 200);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      before.forEach(event -> send(producer, event));
    }
    JobClient first = startUnbounded(new Configuration());
    profiles(before.size());
    Path checkpoint = checkpointTakenAfterNow();
    first.cancel().get();

    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      send(producer, before.get(3)); // re-delivered after the restart: the state remembers it
      after.forEach(event -> send(producer, event));
    }
    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
    JobClient second = startUnbounded(restore);
    List<InterestProfile> profiles = profiles(before.size() + after.size());
    List<Recommendation> recommendations = recommendations(before.size() + after.size());
    second.cancel().get();

    assertThat(profiles).hasSize(before.size() + after.size());
    assertThat(recommendations).hasSize(before.size() + after.size());
    List<InteractionEvent> all = new ArrayList<>(before);
    all.addAll(after);
    Expected expected = expected(all);
    assertThat(latestPerUser(profiles)).isEqualTo(expected.profiles());
    assertThat(latestRecommendationPerUser(recommendations)).isEqualTo(expected.recommendations());
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

  private Optional<Path> latestCheckpoint() throws Exception {
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files
          .filter(path -> path.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .max(Comparator.comparingInt(InterestTrackerJobITCase::checkpointNumber));
    }
  }

  private static int checkpointNumber(Path checkpointDir) {
    return Integer.parseInt(checkpointDir.getFileName().toString().substring("chk-".length()));
  }

  private KafkaSource<RawRecord> boundedSource() {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setTopics(settings.inputTopic())
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

  private List<InterestProfile> profiles(int expected) throws Exception {
    return TopicContents.await(
        kafka.bootstrapServers(),
        settings.profileTopic(),
        InterestProfile.class,
        expected,
        TIMEOUT);
  }

  /** The latest profile and recommendation of each user, comparable across runs. */
  private record Expected(Map<String, String> profiles, Map<String, String> recommendations) {}

  /**
   * What one uninterrupted, sequential pass over the events gives: the same state rules, the
   * model's half-lives where none is configured, and the same model.
   */
  private Expected expected(List<InteractionEvent> events) throws Exception {
    ModelBundle model =
        ModelBundle.load(ModelFiles.of(settings.modelDir()), settings.historyLength());
    InterestUpdater updater = new InterestUpdater(settings.interestRules(model.halfLives()));
    Map<String, UserInterestState> states = new HashMap<>();
    Map<String, String> profiles = new HashMap<>();
    Map<String, String> recommendations = new HashMap<>();
    try (Recommender recommender =
        Recommender.exact(model, settings.topK(), settings.reasonsPerItem(), 1)) {
      for (InteractionEvent event : events) {
        String user = event.getUserId();
        UserInterestState state = states.computeIfAbsent(user, u -> InterestUpdater.emptyState());
        updater.apply(state, event);
        profiles.put(user, comparable(updater.profile(user, state, event, 0)));
        Recommendation recommendation =
            recommender
                .recommend(
                    List.of(
                        new Recommender.Request(
                            user, state.getHistory(), event, List.of(event.getScene()))))
                .get(0)
                .recommendations()
                .get(0);
        recommendations.put(user, comparable(recommendation));
      }
    }
    return new Expected(profiles, recommendations);
  }

  private static Map<String, String> latestRecommendationPerUser(
      List<Recommendation> recommendations) {
    Map<String, Recommendation> latest = new HashMap<>();
    for (Recommendation recommendation : recommendations) {
      latest.merge(
          recommendation.getUserId(),
          recommendation,
          (a, b) -> a.getEventTime() >= b.getEventTime() ? a : b);
    }
    Map<String, String> comparable = new HashMap<>();
    latest.forEach((user, recommendation) -> comparable.put(user, comparable(recommendation)));
    return comparable;
  }

  /** A recommendation without its wall-clock emit time. */
  private static String comparable(Recommendation recommendation) {
    return Recommendation.newBuilder(recommendation).setEmitTime(0L).build().toString();
  }

  private static Map<String, String> latestPerUser(List<InterestProfile> profiles) {
    Map<String, InterestProfile> latest = new HashMap<>();
    for (InterestProfile profile : profiles) {
      latest.merge(
          profile.getUserId(), profile, (a, b) -> a.getEventTime() >= b.getEventTime() ? a : b);
    }
    Map<String, String> comparable = new HashMap<>();
    latest.forEach((user, profile) -> comparable.put(user, comparable(profile)));
    return comparable;
  }

  /** A profile without its wall-clock emit time, which differs between runs. */
  private static String comparable(InterestProfile profile) {
    return InterestProfile.newBuilder(profile).setEmitTime(0L).build().toString();
  }

  /** {@code count} events of 20 users, one a minute per user, over several scenes. */
  private static List<InteractionEvent> events(int first, int count) {
    List<InteractionEvent> events = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      events.add(
          InteractionEvent.newBuilder()
              .setEventId("e" + i)
              .setUserId("user-" + (i % 20))
              .setItemId(String.valueOf(1 + i * 7 % 50))
              .setScene(SCENES[i % 7 % SCENES.length])
              .setEventType(TYPES[i % 5 % TYPES.length])
              .setTimestamp(T0 + i * 60_000L)
              .build());
    }
    return events;
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
