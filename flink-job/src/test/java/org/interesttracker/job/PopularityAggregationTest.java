package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.popularity.LivePopularityTable;
import org.interesttracker.popularity.PopularityRule;
import org.interesttracker.popularity.PopularityUpdate;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;
import org.interesttracker.serving.PopularItem;
import org.junit.jupiter.api.Test;

/**
 * The popularity aggregation, as Flink runs it (keyed by item and by scene and item, event-time
 * timers), publishes what the model was trained with: the fixture's golden popularity, its events
 * sent with the watermark of each request's boundary, gives every golden share and every new user's
 * list.
 */
class PopularityAggregationTest {
  private static final String FIXTURE = "src/test/resources/streaming-step";
  private static final PopularityRule RULE = new PopularityRule(1.0, 3_600_000L, 0.01, 0);

  @Test
  void theUpdatesMakeEveryGoldenSnapshot() throws Exception {
    ModelBundle bundle = ModelBundle.load(ModelFiles.of(FIXTURE), 12);
    PopularityRule rule = bundle.livePopularity().orElseThrow();
    JsonNode golden =
        new ObjectMapper().readTree(ModelFiles.of(FIXTURE).read("golden_streams.json"));
    JsonNode popularity = golden.path("popularity");
    LivePopularityTable table = new LivePopularityTable(rule);
    try (var harness = harness(rule)) {
      List<JsonNode> events = new ArrayList<>();
      popularity.path("events").forEach(events::add);
      int next = 0;
      for (JsonNode request : popularity.path("requests")) {
        long boundary = request.path("boundary_ms").asLong();
        while (next < events.size() && events.get(next).path("time_ms").asLong() < boundary) {
          JsonNode event = events.get(next);
          send(
              harness,
              "e" + next,
              event.path("scene").asText(),
              event.path("item").asText(),
              event.path("time_ms").asLong());
          next++;
        }
        harness.processWatermark(boundary - 1);
        updates(harness).forEach(table::add);
        harness.getOutput().clear();
        table.advanceBase(boundary);
        float[] logShares = table.logShares(bundle.items(), bundle.firstItemIndex(), boundary);
        for (int index = bundle.firstItemIndex(); index < logShares.length; index++) {
          double expected =
              request
                  .path("log_shares")
                  .path(Integer.toString(index))
                  .asDouble(popularity.path("floor").asDouble());
          assertThat((double) logShares[index])
              .as("boundary %d item %d", boundary, index)
              .isCloseTo(expected, offset(golden.path("tolerance").asDouble()));
        }
        JsonNode newUser = request.path("new_user");
        for (String scene : bundle.scenes()) {
          assertThat(mostPopular(table, bundle, scene, boundary))
              .as("boundary %d scene %s", boundary, scene)
              .containsExactlyElementsOf(texts(newUser.path("scenes").path(scene)));
        }
        assertThat(mostPopular(table, bundle, null, boundary))
            .containsExactlyElementsOf(texts(newUser.path("other_scene")));
      }
    }
  }

  @Test
  void theFixtureListsLivePopularityForNewUsers() {
    assertThat(ModelBundle.load(ModelFiles.of(FIXTURE), 12).liveNewUserItems()).isPositive();
  }

  @Test
  void aReDeliveryBeforeItsIntervalIsPublishedCountsOnce() throws Exception {
    try (var harness = harness(RULE)) {
      send(harness, "e1", "a", 1_000);
      send(harness, "e1", "a", 2_000); // the same event id again
      send(harness, "e2", "a", 3_000);
      harness.processWatermark(3_600_000 - 1);
      List<PopularityUpdate> updates = updates(harness);
      // Over every scene and in the events' scene: the same two events.
      assertThat(updates)
          .extracting(update -> update.scene)
          .containsExactlyInAnyOrder(null, "home");
      assertThat(updates.get(0).weight).isEqualTo(updates.get(1).weight);
      // Two events (the re-delivery keeps the later time), each about an hour old at the boundary.
      assertThat(updates.get(0).weight).isCloseTo(2 * 0.5, offset(1e-3));
      assertThat(updates.get(0).boundaryMs).isEqualTo(3_600_000);
    }
  }

  @Test
  void anEventLaterThanTheWatermarkCountsInTheFirstOpenInterval() throws Exception {
    try (var harness = harness(RULE)) {
      send(harness, "e1", "a", 1_000);
      harness.processWatermark(3_600_000 - 1);
      send(harness, "late", "a", 2_000); // its interval is published already
      harness.processWatermark(2 * 3_600_000 - 1);
      List<PopularityUpdate> updates =
          updates(harness).stream().filter(update -> update.scene == null).toList();
      assertThat(updates)
          .extracting(update -> update.boundaryMs)
          .containsExactly(3_600_000L, 7_200_000L);
      assertThat(updates.get(1).weight).isGreaterThan(updates.get(0).weight * 0.5 + 0.2);
    }
  }

  @Test
  void anItemLeavesTheStateOnceItsWeightIsBelowTheMinimum() throws Exception {
    try (var harness = harness(RULE)) {
      send(harness, "e1", "a", 1_000);
      harness.processWatermark(3_600_000 - 1);
      assertThat(harness.numKeyedStateEntries()).isPositive();
      harness.processWatermark(20 * 3_600_000); // 2^-19 of a weight near 1
      assertThat(harness.numKeyedStateEntries()).isZero();
      assertThat(harness.numEventTimeTimers()).isZero();
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, PopularityEvent, BroadcastInput>
      harness(PopularityRule rule) throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new PopularityAggregation(rule)),
            (PopularityEvent counted) -> counted.key,
            Types.STRING);
    harness.open();
    return harness;
  }

  private static void send(
      KeyedOneInputStreamOperatorTestHarness<String, PopularityEvent, BroadcastInput> harness,
      String eventId,
      String item,
      long timeMs)
      throws Exception {
    send(harness, eventId, "home", item, timeMs);
  }

  private static void send(
      KeyedOneInputStreamOperatorTestHarness<String, PopularityEvent, BroadcastInput> harness,
      String eventId,
      String scene,
      String item,
      long timeMs)
      throws Exception {
    InteractionEvent event =
        InteractionEvent.newBuilder()
            .setEventId(eventId)
            .setUserId("u")
            .setItemId(item)
            .setScene(scene)
            .setEventType(EventType.CLICK)
            .setTimestamp(timeMs)
            .build();
    List<PopularityEvent> counted = new ArrayList<>();
    PopularityEvent.countsOf(event, new ListCollector<>(counted));
    for (PopularityEvent each : counted) {
      harness.processElement(each, timeMs);
    }
  }

  private static List<String> mostPopular(
      LivePopularityTable table, ModelBundle bundle, String scene, long boundary) {
    return table
        .mostPopular(
            scene, bundle.items(), bundle.firstItemIndex(), boundary, bundle.liveNewUserItems())
        .stream()
        .map(PopularItem::itemId)
        .toList();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(text -> texts.add(text.asText()));
    return texts;
  }

  private static List<PopularityUpdate> updates(
      KeyedOneInputStreamOperatorTestHarness<String, PopularityEvent, BroadcastInput> harness) {
    return harness.extractOutputValues().stream().map(input -> input.popularity).toList();
  }
}
