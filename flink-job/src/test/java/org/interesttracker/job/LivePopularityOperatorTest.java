package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.popularity.PopularityRule;
import org.interesttracker.popularity.PopularityUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scoring operator with a model that blends live popularity (the fixture): an event's
 * recommendations wait for the snapshot its time names, then rank with it; the table survives a
 * restore.
 */
class LivePopularityOperatorTest {
  private static final JobSettings SETTINGS =
      JobSettings.builder()
          .bootstrapServers("unused:9092")
          .modelDir("src/test/resources/streaming-step")
          .historyLength(12)
          .bundleSize(1)
          .build();
  private static final PopularityRule RULE = SETTINGS.loadModel().livePopularity().orElseThrow();
  private static final long T0 = 1_700_000_000_000L;

  /** The snapshot the events at T0 and a minute later read. */
  private static final long BOUNDARY = RULE.boundaryOf(T0);

  private KeyedTwoInputStreamOperatorTestHarness<
          String, SourcedEvent, BroadcastInput, Recommendation>
      harness;

  @BeforeEach
  void open() throws Exception {
    harness = OperatorHarness.of(SETTINGS, new HashMapStateBackend());
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void anEventWaitsForItsSnapshotThenRanksWithIt() throws Exception {
    process("e1", "1", T0);
    process("e2", "2", T0 + 60_000);
    assertThat(harness.extractOutputValues()).isEmpty();

    harness.processElement2(BroadcastInput.of(new PopularityUpdate("7", 50.0, BOUNDARY)), 0L);
    harness.processBothWatermarks(new Watermark(BOUNDARY - 1));

    List<Recommendation> out = harness.extractOutputValues();
    assertThat(out).extracting(Recommendation::getEventId).containsExactly("e1", "e2");
    // The user's second list is the model's: item 7, which holds the whole popularity, leads it.
    assertThat(out.get(1).getColdStart()).isEqualTo(ColdStart.NONE);
    assertThat(out.get(1).getItems().get(0)).extracting(RecommendedItem::getItemId).isEqualTo("7");
  }

  @Test
  void anEventWhoseSnapshotIsCompleteGoesAtOnceAndTheTableSurvivesARestore() throws Exception {
    harness.processElement2(BroadcastInput.of(new PopularityUpdate("7", 50.0, BOUNDARY)), 0L);
    harness.processBothWatermarks(new Watermark(BOUNDARY - 1));
    process("e1", "1", T0);
    assertThat(harness.extractOutputValues()).hasSize(1);

    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    harness.close();
    harness = OperatorHarness.of(SETTINGS, new HashMapStateBackend());
    harness.initializeState(snapshot);
    harness.open();
    harness.processBothWatermarks(new Watermark(BOUNDARY - 1));
    process("e2", "2", T0 + 60_000);

    List<Recommendation> out = harness.extractOutputValues();
    assertThat(out).extracting(Recommendation::getEventId).containsExactly("e2");
    assertThat(out.get(0).getItems().get(0)).extracting(RecommendedItem::getItemId).isEqualTo("7");
  }

  @Test
  void anEventLaterThanTheWatermarkReadsTheOldestSnapshotStillKept() throws Exception {
    harness.processBothWatermarks(new Watermark(BOUNDARY - 1));
    process("e1", "1", T0);
    long later = RULE.boundaryOf(T0 + 3 * 3_600_000L);
    harness.processElement2(BroadcastInput.of(new PopularityUpdate("7", 50.0, later)), 0L);
    // The watermark where a request reads the snapshot at `later`: it becomes the table's base.
    harness.processBothWatermarks(new Watermark(later + RULE.delayMs() - 1));
    // A minute after the user's event, so not too late for the user, but hours behind the stream.
    process("e2", "2", T0 + 60_000);

    List<Recommendation> out = harness.extractOutputValues();
    assertThat(out).extracting(Recommendation::getEventId).containsExactly("e1", "e2");
    // Its own snapshot had no weight for item 7; the base, three hours on, gives it all.
    assertThat(out.get(1).getItems().get(0)).extracting(RecommendedItem::getItemId).isEqualTo("7");
  }

  @Test
  void withoutTheUpdateItemSevenDoesNotLead() throws Exception {
    harness.processBothWatermarks(new Watermark(BOUNDARY - 1));
    process("e1", "1", T0);
    process("e2", "2", T0 + 60_000);

    List<Recommendation> out = harness.extractOutputValues();
    assertThat(out).hasSize(2);
    assertThat(out.get(1).getItems().get(0))
        .extracting(RecommendedItem::getItemId)
        .isNotEqualTo("7");
  }

  @Test
  void aNewUserGetsTheScenesLivePopularityAndTheTrainingListsBeforeTheStreamShowsTheScene()
      throws Exception {
    harness.processElement2(
        BroadcastInput.of(new PopularityUpdate("home", "9", 2.0, BOUNDARY)), 0L);
    harness.processElement2(
        BroadcastInput.of(new PopularityUpdate("home", "4", 3.0, BOUNDARY)), 0L);
    harness.processBothWatermarks(new Watermark(BOUNDARY - 1));
    process("alice", "home", "e1", "not-in-the-vocabulary", T0);
    process("bob", "search", "e2", "not-in-the-vocabulary", T0);

    List<Recommendation> out = harness.extractOutputValues();
    Recommendation home = sceneOf(out, "home");
    assertThat(home.getColdStart()).isEqualTo(ColdStart.NEW_USER);
    assertThat(home.getItems()).extracting(RecommendedItem::getItemId).containsExactly("4", "9");
    assertThat(home.getItems().get(0).getScore()).isEqualTo(0.6f);
    // Nothing of the search scene in the stream yet: its list of training counts.
    Recommendation search = sceneOf(out, "search");
    assertThat(search.getItems())
        .extracting(RecommendedItem::getItemId)
        .containsExactlyElementsOf(
            SETTINGS.loadModel().popularity("search").stream()
                .limit(search.getItems().size())
                .map(item -> item.itemId())
                .toList());
  }

  private static Recommendation sceneOf(List<Recommendation> out, String scene) {
    return out.stream().filter(r -> r.getScene().equals(scene)).findFirst().orElseThrow();
  }

  private void process(String eventId, String item, long timeMs) throws Exception {
    process("alice", "home", eventId, item, timeMs);
  }

  private void process(String user, String scene, String eventId, String item, long timeMs)
      throws Exception {
    InteractionEvent event =
        InteractionEvent.newBuilder()
            .setEventId(eventId)
            .setUserId(user)
            .setItemId(item)
            .setScene(scene)
            .setEventType(EventType.CLICK)
            .setTimestamp(timeMs)
            .build();
    harness.processElement1(new SourcedEvent(event, "interactions", 0, 0L), timeMs);
  }
}
