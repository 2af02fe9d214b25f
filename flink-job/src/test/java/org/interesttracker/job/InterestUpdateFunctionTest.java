package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
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
import org.interesttracker.testing.PoisonedModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed function: outputs, state entries and TTL timers (counted on the heap backend, the only
 * one that counts entries), and a snapshot restored on RocksDB, the production backend.
 */
class InterestUpdateFunctionTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long ONE_MINUTE_LATER = T0 + 60_000L;
  private static final Duration TTL = Duration.ofDays(1);
  private static final Duration LATENESS = Duration.ofMinutes(10);
  private static final InterestRules RULES =
      new InterestRules(
          50,
          new DedupRules(Duration.ofHours(1), 1000),
          32,
          LATENESS,
          new SceneHalfLives(Duration.ofHours(1), Map.of()));
  private static final JobSettings SETTINGS =
      JobSettings.builder().bootstrapServers("unused:9092").stateTtl(TTL).build();

  private KeyedOneInputStreamOperatorTestHarness<String, SourcedEvent, Recommendation> harness;

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
    harness.processElement(new SourcedEvent(late, "interactions", 3, 42L), T0);

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

    harness.processWatermark(T0 + TTL.toMillis() - 1);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

    harness.processWatermark(T0 + TTL.toMillis());
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void keepsAUserActiveSinceTheTimerWasSetAndRearmsOneTimer() throws Exception {
    process(event("e1", "alice", T0));
    long stillActive = T0 + TTL.toMillis() / 2;
    process(event("e2", "alice", stillActive));

    harness.processWatermark(T0 + TTL.toMillis());
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processWatermark(stillActive + TTL.toMillis());
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
            .bootstrapServers("unused:9092")
            .recommendFor(RecommendFor.ALL_SCENES)
            .build();
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new InterestUpdateFunction(allScenes, RULES), SourcedEvent::userId, Types.STRING);

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
    JobSettings poisoned =
        JobSettings.builder()
            .bootstrapServers("unused:9092")
            .modelDir(PoisonedModel.write(modelDir, "13", 50).toString())
            .build();
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new InterestUpdateFunction(poisoned, RULES)),
            SourcedEvent::userId,
            Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.open();

    process(event("e1", "alice", T0, "home", "12"));
    process(event("e2", "alice", T0 + 60_000L, "home", "13"));
    process(event("e3", "alice", T0 + 120_000L, "home", "40"));
    process(event("e4", "bob", T0, "home", "12"));

    assertThat(harness.extractOutputValues())
        .extracting(Recommendation::getEventId)
        .containsExactly("e1", "e3", "e4");
    DeadLetter letter = harness.getSideOutput(DeadLetters.TAG).poll().getValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.PROCESSING_FAILED);
    assertThat(letter.getError()).contains("not finite").contains("e2");
    assertThat(profiles()).extracting(InterestProfile::getHistoryLength).containsExactly(1, 2, 1);
  }

  private List<InterestProfile> profiles() {
    var records = harness.getSideOutput(InterestUpdateFunction.PROFILES);
    return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
  }

  private void process(InteractionEvent event) throws Exception {
    harness.processElement(new SourcedEvent(event, "interactions", 0, 0L), event.getTimestamp());
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, SourcedEvent, Recommendation>
      newHarness(StateBackend backend) throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new InterestUpdateFunction(SETTINGS, RULES)),
            SourcedEvent::userId,
            Types.STRING);
    harness.setStateBackend(backend);
    return harness;
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
