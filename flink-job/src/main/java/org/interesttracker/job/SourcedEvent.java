package org.interesttracker.job;

import org.interesttracker.avro.InteractionEvent;

/**
 * A decoded, valid event with its Kafka origin, kept so that an event refused later (too late for
 * its user) can still be dead-lettered with topic, partition and offset. A Flink POJO.
 */
public final class SourcedEvent {
  public InteractionEvent event;
  public String topic;
  public int partition;
  public long offset;

  public SourcedEvent() {}

  public SourcedEvent(InteractionEvent event, String topic, int partition, long offset) {
    this.event = event;
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }

  public String userId() {
    return event.getUserId();
  }
}
