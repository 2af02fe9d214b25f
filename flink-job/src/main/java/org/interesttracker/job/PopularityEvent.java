package org.interesttracker.job;

import org.apache.flink.util.Collector;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.popularity.PopularityUpdate;

/**
 * An event as live popularity counts it: once for its item over every scene and once for its item
 * in its scene, each keyed by its own {@link #key}. The input of {@link PopularityAggregation}. A
 * Flink POJO.
 */
public final class PopularityEvent {
  // Ids never hold a control character (IdRules), so no item or scene holds this one.
  private static final char SCENE_END = '\u0000';

  /** The item's id over every scene, or the scene, {@link #SCENE_END} and the item's id. */
  public String key;

  public String eventId;
  public long timeMs;

  public PopularityEvent() {}

  private PopularityEvent(String key, InteractionEvent event) {
    this.key = key;
    this.eventId = event.getEventId();
    this.timeMs = event.getTimestamp();
  }

  /** Both ways {@code event} counts. */
  static void countsOf(InteractionEvent event, Collector<PopularityEvent> out) {
    out.collect(new PopularityEvent(event.getItemId(), event));
    out.collect(new PopularityEvent(event.getScene() + SCENE_END + event.getItemId(), event));
  }

  /** The update publishing the weight of the item, and scene, that {@code key} names. */
  static PopularityUpdate update(String key, double weight, long atMs) {
    int sceneEnd = key.indexOf(SCENE_END);
    return sceneEnd < 0
        ? new PopularityUpdate(key, weight, atMs)
        : new PopularityUpdate(
            key.substring(0, sceneEnd), key.substring(sceneEnd + 1), weight, atMs);
  }
}
