package org.interesttracker.eventlog;

import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;

/**
 * One row of an event-log CSV ({@code timestamp_ms,user_id,item_id,scene,event_type}), the one
 * interchange format between dataset converters, the synthetic generator, Python training and Kafka
 * replay.
 */
public record EventLogRecord(
    long timestampMs, String userId, String itemId, String scene, EventType eventType) {

  /** The event as it travels on the input topic, under the given id. */
  public InteractionEvent toEvent(String eventId) {
    return InteractionEvent.newBuilder()
        .setEventId(eventId)
        .setUserId(userId)
        .setItemId(itemId)
        .setScene(scene)
        .setEventType(eventType)
        .setTimestamp(timestampMs)
        .build();
  }
}
