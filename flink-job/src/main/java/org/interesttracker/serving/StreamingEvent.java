package org.interesttracker.serving;

/**
 * One event as the streaming model reads it: vocabulary indices (0 padding, 1 unknown, known from
 * 2) and the event time in ms. Scenes and event types must fit in one unsigned byte.
 */
public record StreamingEvent(int item, int scene, int eventType, long timeMs) {
  public StreamingEvent {
    if (item < 1 || scene < 1 || scene > 255 || eventType < 1 || eventType > 255) {
      throw new IllegalArgumentException(
          String.format(
              "indices must be real tokens (>= 1; scene and event type <= 255): item %d, scene %d,"
                  + " event type %d",
              item, scene, eventType));
    }
  }
}
