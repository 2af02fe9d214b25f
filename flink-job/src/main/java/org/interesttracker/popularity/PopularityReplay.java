package org.interesttracker.popularity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live popularity from a whole list of events, as the aggregation publishes it when every event
 * arrives before its interval closes: up to each boundary in turn, each item's events before it
 * published over every scene and in the event's scene with {@link ItemWeight#publish}: how {@link
 * GoldenPopularityCheck} replays the golden events.
 */
public final class PopularityReplay {
  /** An event as popularity counts it. */
  public record Event(String scene, String item, long timeMs) {}

  private final PopularityRule rule;
  private final List<Event> events;
  // Per scene (null: every scene), per item.
  private final Map<String, Map<String, ItemWeight>> weights = new LinkedHashMap<>();
  private final LivePopularityTable table;
  private int next;

  public PopularityReplay(PopularityRule rule, List<Event> events) {
    this.rule = rule;
    this.events = new ArrayList<>(events);
    this.events.sort(Comparator.comparingLong(Event::timeMs));
    table = new LivePopularityTable(rule);
  }

  /**
   * The table with every event before {@code boundaryMs} published and its base there; boundaries
   * must not go back, and the table returned is the same one, moved on.
   */
  public LivePopularityTable snapshot(long boundaryMs) {
    Map<String, Map<String, List<Long>>> due = new LinkedHashMap<>();
    while (next < events.size() && events.get(next).timeMs() < boundaryMs) {
      Event event = events.get(next++);
      for (String scene : Arrays.asList(null, event.scene())) {
        due.computeIfAbsent(scene, ignored -> new LinkedHashMap<>())
            .computeIfAbsent(event.item(), ignored -> new ArrayList<>())
            .add(event.timeMs());
      }
    }
    due.forEach(
        (scene, items) ->
            items.forEach(
                (item, times) -> {
                  ItemWeight weight =
                      weights
                          .computeIfAbsent(scene, ignored -> new LinkedHashMap<>())
                          .computeIfAbsent(item, ignored -> new ItemWeight());
                  weight.publish(
                      rule, times.stream().mapToLong(Long::longValue).toArray(), boundaryMs);
                  table.add(new PopularityUpdate(scene, item, weight.weight, weight.atMs));
                }));
    table.advanceBase(boundaryMs);
    return table;
  }
}
