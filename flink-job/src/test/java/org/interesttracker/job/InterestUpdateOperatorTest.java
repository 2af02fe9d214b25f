package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.DeadLetter;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Reason;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.interest.DedupRules;
import org.interesttracker.interest.InterestRules;
import org.interesttracker.interest.RecommendFor;
import org.interesttracker.interest.SceneHalfLives;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.serving.CandidateIndexKind;
import org.interesttracker.testing.PoisonedModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed operator: outputs, state entries and TTL timers (counted on the heap backend, the only
 * one that counts entries), a snapshot restored on RocksDB, the production backend, and bundles:
 * when they go and that they compute what one event at a time computes.
 */
class InterestUpdateOperatorTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long ONE_MINUTE_LATER = T0 + 60_000L;
  private static final Duration TTL = UserStateSnapshots.TTL;
  private static final Duration LATENESS = Duration.ofMinutes(10);
  private static final Duration BUNDLE_TIMEOUT = Duration.ofMillis(5);

  /** One event at a time: each event's outputs go out as it is processed. */
  private static final JobSettings SETTINGS = UserStateSnapshots.SETTINGS;

  private static final InterestRules RULES =
      new InterestRules(
          SETTINGS.loadModel().step().keptEvents(),
          new DedupRules(Duration.ofHours(1), 1000),
          32,
          LATENESS,
          new SceneHalfLives(Duration.ofHours(1), Map.of()),
          SETTINGS.profileChange());

  private KeyedTwoInputStreamOperatorTestHarness<
          String, SourcedEvent, BroadcastInput, Recommendation>
      harness;

  @BeforeEach
  void open() throws Exception {
    harness = newHarness(new HashMapStateBackend());
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void emitsARecommendationAndAProfilePerEventAndKeepsOneStateEntryAndOneTimerPerUser()
      throws Exception {
    process(event("e1", "alice", T0));
    process(event("e2", "alice", ONE_MINUTE_LATER));
    process(event("e3", "bob", T0));

    assertThat(harness.extractOutputValues())
        .extracting(Recommendation::getEventId)
        .containsExactly("e1", "e2", "e3");
    assertThat(profiles())
        .extracting(InterestProfile::getEventId)
        .containsExactly("e1", "e2", "e3");
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).isEqualTo(2);
  }

  @Test
  void dropsARedeliveredEvent() throws Exception {
    process(event("e1", "alice", T0));
    process(event("e1", "alice", T0));

    assertThat(harness.extractOutputValues()).hasSize(1);
    assertThat(profiles()).hasSize(1);
    assertThat(harness.getSideOutput(DeadLetters.TAG)).isNull();
  }

  @Test
  void deadLettersAnEventLaterThanTheLatenessWithItsOrigin() throws Exception {
    process(event("e1", "alice", T0 + LATENESS.toMillis() + 1));
    InteractionEvent late = event("e0", "alice", T0);
    harness.processElement1(new SourcedEvent(late, "interactions", 3, 42L), T0);

    assertThat(harness.extractOutputValues()).hasSize(1);
    DeadLetter letter = harness.getSideOutput(DeadLetters.TAG).poll().getValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.TOO_LATE);
    assertThat(letter.getSourcePartition()).isEqualTo(3);
    assertThat(letter.getSourceOffset()).isEqualTo(42L);
    byte[] raw = new byte[letter.getRaw().remaining()];
    letter.getRaw().get(raw);
    assertThat(AvroCodec.of(InteractionEvent.class).decode(raw)).isEqualTo(late);
  }

  @Test
  void expiresAUserIdleForTheTtlInEventTime() throws Exception {
    process(event("e1", "alice", T0));

    harness.processBothWatermarks(new Watermark(T0 + TTL.toMillis() - 1));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

    harness.processBothWatermarks(new Watermark(T0 + TTL.toMillis()));
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void keepsAUserActiveSinceTheTimerWasSetAndRearmsOneTimer() throws Exception {
    process(event("e1", "alice", T0));
    long stillActive = T0 + TTL.toMillis() / 2;
    process(event("e2", "alice", stillActive));

    harness.processBothWatermarks(new Watermark(T0 + TTL.toMillis()));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processBothWatermarks(new Watermark(stillActive + TTL.toMillis()));
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void restoresStateFromARocksDbSnapshot() throws Exception {
    harness.close();
    harness = newHarness(new EmbeddedRocksDBStateBackend());
    harness.open();
    process(event("e1", "alice", T0));
    OperatorSubtaskState snapshot = harness.snapshot(1L, T0);
    harness.close();

    harness = newHarness(new EmbeddedRocksDBStateBackend());
    harness.initializeState(snapshot);
    harness.open();
    process(event("e1", "alice", T0));
    process(event("e2", "alice", ONE_MINUTE_LATER));

    InterestProfile profile = profiles().get(0);
    assertThat(profile.getEventId()).isEqualTo("e2");
    assertThat(profile.getHistoryLength()).isEqualTo(2);
    assertThat(profile.getScenes().get(0).getEvents()).isEqualTo(2);
  }

  @Test
  void marksColdStartsAndNeverRecommendsWhatTheUserSaw() throws Exception {
    process(event("e1", "alice", T0, "home", "12"));
    process(event("e2", "alice", ONE_MINUTE_LATER, "home", "40"));
    process(event("e3", "alice", ONE_MINUTE_LATER + 60_000L, "shop", "77"));

    List<Recommendation> recommendations = harness.extractOutputValues();
    assertThat(recommendations)
        .extracting(Recommendation::getColdStart)
        .containsExactly(ColdStart.NEW_USER, ColdStart.NONE, ColdStart.NEW_IN_SCENE);
    assertThat(recommendations)
        .extracting(Recommendation::getScene)
        .containsExactly("home", "home", "shop");
    assertThat(recommendations).allSatisfy(r -> assertThat(r.getItems()).hasSize(10));
    assertThat(recommendations.get(2).getItems())
        .extracting(RecommendedItem::getItemId)
        .doesNotContain("12", "40", "77");
    assertThat(recommendations.get(2).getItems())
        .flatExtracting(RecommendedItem::getReasons)
        .extracting(Reason::getItemId)
        .isSubsetOf("12", "40", "77")
        .isNotEmpty();
    assertThat(recommendations.get(0).getItems())
        .allSatisfy(i -> assertThat(i.getReasons()).isEmpty());
  }

  @Test
  void namesAPastItemTheUserCameBackToOnceAmongTheReasons() throws Exception {
    process(event("e1", "alice", T0, "home", "12"));
    process(event("e2", "alice", T0 + 60_000L, "home", "12"));
    process(event("e3", "alice", T0 + 120_000L, "home", "40"));
    process(event("e4", "alice", T0 + 180_000L, "home", "12"));
    process(event("e5", "alice", T0 + 240_000L, "home", "77"));

    Recommendation last = harness.extractOutputValues().get(4);
    assertThat(last.getItems())
        .allSatisfy(
            item ->
                assertThat(item.getReasons())
                    .extracting(Reason::getItemId)
                    .containsExactlyInAnyOrder("12", "40", "77"));
  }

  @Test
  void recommendsForEverySceneTheModelKnowsWhenAskedTo() throws Exception {
    harness.close();
    JobSettings allScenes =
        JobSettings.builder()
            .livePopularity(false)
            .bootstrapServers("unused:9092")
            .recommendFor(RecommendFor.ALL_SCENES)
            .bundleSize(1)
            .build();
    harness = newHarness(allScenes, new HashMapStateBackend());
    harness.open();

    process(event("e1", "alice", T0, "home", "12"));
    process(event("e2", "alice", ONE_MINUTE_LATER, "a-new-tab", "40"));

    List<String> modelScenes = List.of("home", "news", "search", "shop", "video");
    List<Recommendation> recommendations = harness.extractOutputValues();
    assertThat(recommendations.subList(0, 5))
        .extracting(Recommendation::getScene)
        .containsExactlyElementsOf(modelScenes);
    assertThat(recommendations.subList(5, recommendations.size()))
        .extracting(Recommendation::getScene)
        .containsExactly("home", "news", "search", "shop", "video", "a-new-tab");
    assertThat(recommendations.subList(5, recommendations.size()))
        .extracting(Recommendation::getColdStart)
        .containsExactly(
            ColdStart.NONE,
            ColdStart.NEW_IN_SCENE,
            ColdStart.NEW_IN_SCENE,
            ColdStart.NEW_IN_SCENE,
            ColdStart.NEW_IN_SCENE,
            ColdStart.NEW_IN_SCENE);
  }

  @Test
  void deadLettersAnEventTheModelCannotScoreAndLeavesTheUserAsBefore(@TempDir Path modelDir)
      throws Exception {
    harness.close();
    // Bundles of three: the poisoned event shares its model call with bob's and carol's.
    JobSettings poisoned =
        JobSettings.builder()
            .livePopularity(false)
            .bootstrapServers("unused:9092")
            .modelDir(PoisonedModel.write(modelDir, "13", 50).toString())
            .bundleSize(3)
            .bundleTimeout(Duration.ofHours(1))
            .build();
    harness = newHarness(poisoned, new EmbeddedRocksDBStateBackend());
    harness.open();

    process(event("e1", "alice", T0, "home", "12"));
    process(event("e4", "bob", T0, "home", "12"));
    process(event("e5", "carol", T0, "home", "40"));
    process(event("e2", "alice", T0 + 60_000L, "home", "13"));
    process(event("e6", "bob", T0 + 60_000L, "home", "40"));
    process(event("e7", "carol", T0 + 60_000L, "home", "12"));
    process(event("e3", "alice", T0 + 120_000L, "home", "40"));
    harness.prepareSnapshotPreBarrier(1L);

    assertThat(harness.extractOutputValues())
        .extracting(Recommendation::getEventId)
        .containsExactly("e1", "e4", "e5", "e6", "e7", "e3");
    DeadLetter letter = harness.getSideOutput(DeadLetters.TAG).poll().getValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.PROCESSING_FAILED);
    assertThat(letter.getError()).contains("not finite").contains("e2");
    assertThat(harness.getSideOutput(DeadLetters.TAG)).isEmpty();
    assertThat(profiles())
        .extracting(p -> p.getEventId() + "=" + p.getHistoryLength())
        .containsExactly("e1=1", "e4=1", "e5=1", "e6=2", "e7=2", "e3=2");
  }

  @Test
  void aBundleGoesWhenFullAndComputesWhatOneEventAtATimeComputes() throws Exception {
    List<InteractionEvent> events =
        List.of(
            event("e1", "alice", T0, "home", "12"),
            event("e2", "bob", T0, "video", "40"),
            event("e3", "alice", T0 + 60_000L, "home", "77"),
            event("e4", "carol", T0, "shop", "12"),
            event("e5", "alice", T0 + 120_000L, "search", "13"),
            event("e6", "dave", T0, "home", "12"),
            event("e7", "bob", T0 + 1_000L, "video", "41"));
    for (InteractionEvent event : events) {
      process(event);
    }
    List<String> oneAtATime = recommendations();
    harness.close();
    harness = newHarness(bundles(4), new HashMapStateBackend());
    harness.open();

    // Full means events of four users, however many events that is.
    for (InteractionEvent event : events.subList(0, 5)) {
      process(event);
    }
    assertThat(harness.extractOutputValues()).isEmpty();
    process(events.get(5));
    assertThat(harness.extractOutputValues()).hasSize(6);
    process(events.get(6));
    harness.prepareSnapshotPreBarrier(1L);

    assertThat(recommendations()).containsExactlyInAnyOrderElementsOf(oneAtATime);
    assertThat(perUser(recommendations())).isEqualTo(perUser(oneAtATime));
  }

  @Test
  void aBundleOfFewUsersGoesAtSixteenEventsPerUserItMayHold() throws Exception {
    harness.close();
    harness = newHarness(bundles(2), new HashMapStateBackend());
    harness.open();

    for (int i = 1; i < 32; i++) {
      process(event("e" + i, "alice", T0 + i * 1_000L));
    }
    assertThat(harness.extractOutputValues()).isEmpty();
    process(event("e32", "alice", T0 + 32_000L));
    assertThat(harness.extractOutputValues()).hasSize(32);
  }

  @Test
  void aBundleGoesAfterItsTimeoutAndBeforeAWatermark() throws Exception {
    harness.close();
    harness = newHarness(bundles(64), new HashMapStateBackend());
    harness.open();
    harness.setProcessingTime(0L);

    process(event("e1", "alice", T0));
    harness.setProcessingTime(BUNDLE_TIMEOUT.toMillis() - 1);
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.setProcessingTime(BUNDLE_TIMEOUT.toMillis());
    assertThat(harness.extractOutputValues()).hasSize(1);

    process(event("e2", "alice", ONE_MINUTE_LATER));
    harness.processBothWatermarks(new Watermark(ONE_MINUTE_LATER));
    List<Object> output = List.copyOf(harness.getOutput());
    assertThat(output).hasSize(3);
    assertThat(output.get(1)).isInstanceOf(StreamRecord.class);
    assertThat(output.get(2)).isEqualTo(new Watermark(ONE_MINUTE_LATER));
  }

  @Test
  void aCheckpointHoldsNoBufferedEventSoARestoreCarriesOnExactly() throws Exception {
    harness.close();
    harness = newHarness(bundles(64), new EmbeddedRocksDBStateBackend());
    harness.open();
    process(event("e1", "alice", T0, "home", "12"));
    process(event("e2", "alice", ONE_MINUTE_LATER, "home", "40"));
    harness.prepareSnapshotPreBarrier(1L);
    OperatorSubtaskState snapshot = harness.snapshot(1L, T0);
    assertThat(harness.extractOutputValues()).hasSize(2);
    harness.close();

    harness = newHarness(bundles(64), new EmbeddedRocksDBStateBackend());
    harness.initializeState(snapshot);
    harness.open();
    process(event("e3", "alice", ONE_MINUTE_LATER + 60_000L, "home", "77"));
    harness.prepareSnapshotPreBarrier(2L);
    List<String> restored = recommendations();
    harness.close();

    harness = newHarness(new HashMapStateBackend());
    harness.open();
    process(event("e1", "alice", T0, "home", "12"));
    process(event("e2", "alice", ONE_MINUTE_LATER, "home", "40"));
    process(event("e3", "alice", ONE_MINUTE_LATER + 60_000L, "home", "77"));
    assertThat(restored).containsExactly(recommendations().get(2));
  }

  @Test
  void recommendsThroughAnApproximateIndexWhenAskedToWithAboutTheExactItems() throws Exception {
    List<InteractionEvent> events = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      events.add(event("e" + i, "user-" + (i % 4), T0 + i * 60_000L, "home", "" + (10 + 7 * i)));
    }
    for (InteractionEvent event : events) {
      process(event);
    }
    List<Recommendation> exact = harness.extractOutputValues();
    harness.close();
    harness =
        newHarness(
            JobSettings.builder()
                .livePopularity(false)
                .bootstrapServers("unused:9092")
                .stateTtl(TTL)
                .bundleSize(1)
                .candidateIndex(CandidateIndexKind.HNSW)
                .build(),
            new HashMapStateBackend());
    harness.open();
    for (InteractionEvent event : events) {
      process(event);
    }
    List<Recommendation> approximate = harness.extractOutputValues();

    assertThat(approximate).hasSameSizeAs(exact);
    int found = 0;
    for (int i = 0; i < exact.size(); i++) {
      assertThat(approximate.get(i).getItems()).hasSize(10);
      List<String> exactItems = itemIds(exact.get(i));
      found += (int) itemIds(approximate.get(i)).stream().filter(exactItems::contains).count();
    }
    // Approximate, but a graph over the embeddings rescored with the popularity column finds
    // nearly all of them; one over the embeddings with that column appended found 40%.
    assertThat(found / (10.0 * exact.size())).as("recall@10").isGreaterThanOrEqualTo(0.95);
  }

  private static List<String> itemIds(Recommendation recommendation) {
    return recommendation.getItems().stream().map(RecommendedItem::getItemId).toList();
  }

  private static JobSettings bundles(int size) {
    return JobSettings.builder()
        .livePopularity(false)
        .bootstrapServers("unused:9092")
        .stateTtl(TTL)
        .bundleSize(size)
        .bundleTimeout(BUNDLE_TIMEOUT)
        .build();
  }

  /** Recommendations without their wall-clock emit time. */
  private List<String> recommendations() {
    return harness.extractOutputValues().stream()
        .map(r -> Recommendation.newBuilder(r).setEmitTime(0L).build().toString())
        .toList();
  }

  private static Map<String, List<String>> perUser(List<String> recommendations) {
    return recommendations.stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                r -> r.replaceAll("(?s).*\"user_id\": \"([^\"]*)\".*", "$1")));
  }

  private List<InterestProfile> profiles() {
    var records = harness.getSideOutput(InterestUpdateOperator.PROFILES);
    return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
  }

  private void process(InteractionEvent event) throws Exception {
    harness.processElement1(new SourcedEvent(event, "interactions", 0, 0L), event.getTimestamp());
  }

  private static KeyedTwoInputStreamOperatorTestHarness<
          String, SourcedEvent, BroadcastInput, Recommendation>
      newHarness(StateBackend backend) throws Exception {
    return newHarness(SETTINGS, backend);
  }

  private static KeyedTwoInputStreamOperatorTestHarness<
          String, SourcedEvent, BroadcastInput, Recommendation>
      newHarness(JobSettings settings, StateBackend backend) throws Exception {
    return OperatorHarness.of(settings, backend);
  }

  private static InteractionEvent event(String id, String user, long time) {
    return event(id, user, time, "home", "item-" + id);
  }

  private static InteractionEvent event(
      String id, String user, long time, String scene, String item) {
    return InteractionEvent.newBuilder()
        .setEventId(id)
        .setUserId(user)
        .setItemId(item)
        .setScene(scene)
        .setEventType(EventType.CLICK)
        .setTimestamp(time)
        .build();
  }
}
