package org.interesttracker.replay;

/** Told when each event is handed to the producer, to measure latency from there. */
@FunctionalInterface
public interface EventSendListener {
  EventSendListener NONE = (eventId, sendNanos) -> {};

  /**
   * @param eventId the id of a valid event, told once even if a duplicate follows later
   * @param sendNanos {@link System#nanoTime()} just before the send
   */
  void sent(String eventId, long sendNanos);
}
