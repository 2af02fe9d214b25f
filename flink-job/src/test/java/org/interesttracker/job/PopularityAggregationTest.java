package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
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
import org.junit.jupiter.api.Test;

/**
 * The popularity aggregation, as Flink runs it (keyed by item, event-time timers), publishes what
 * the model was trained with: the fixture's golden popularity, its events sent with the watermark
 * of each request's boundary, gives every golden share.
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
          send(harness, "e" + next, event.path("item").asText(), event.path("time_ms").asLong());
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
      }
    }
  }

  @Test
  void aReDeliveryBeforeItsIntervalIsPublishedCountsOnce() throws Exception {
    try (var harness = harness(RULE)) {
      send(harness, "e1", "a", 1_000);
      send(harness, "e1", "a", 2_000); // the same event id again
      send(harness, "e2", "a", 3_000);
      harness.processWatermark(3_600_000 - 1);
      List<PopularityUpdate> updates = updates(harness);
      assertThat(updates).hasSize(1);
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
      List<PopularityUpdate> updates = updates(harness);
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

  private static KeyedOneInputStreamOperatorTestHarness<String, SourcedEvent, BroadcastInput>
      harness(PopularityRule rule) throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new PopularityAggregation(rule)),
            (SourcedEvent sourced) -> sourced.event.getItemId(),
            Types.STRING);
    harness.open();
    return harness;
  }

  private static void send(
      KeyedOneInputStreamOperatorTestHarness<String, SourcedEvent, BroadcastInput> harness,
      String eventId,
      String item,
      long timeMs)
      throws Exception {
    InteractionEvent event =
        InteractionEvent.newBuilder()
            .setEventId(eventId)
            .setUserId("u")
            .setItemId(item)
            .setScene("home")
            .setEventType(EventType.CLICK)
            .setTimestamp(timeMs)
            .build();
    harness.processElement(new SourcedEvent(event, "t", 0, 0), timeMs);
  }

  private static List<PopularityUpdate> updates(
      KeyedOneInputStreamOperatorTestHarness<String, SourcedEvent, BroadcastInput> harness) {
    return harness.extractOutputValues().stream().map(input -> input.popularity).toList();
  }
}
