package org.interesttracker.job;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.InteractionEvent;

/**
 * Decides whether a decoded event is usable. Ids and the scene must follow {@link IdRules}; the
 * event time must lie between a floor (no real interaction log starts before it) and the wall clock
 * plus the allowed clock skew of producers. New scenes and event types are not errors: a new
 * surface can launch any day.
 */
public final class EventValidator implements Serializable {

  /** Why an event was refused. */
  public record Rejection(DeadLetterReason reason, String message) {}

  private final Instant minEventTime;
  private final Duration maxClockSkew;

  public EventValidator(Instant minEventTime, Duration maxClockSkew) {
    this.minEventTime = minEventTime;
    this.maxClockSkew = maxClockSkew;
  }

  public Optional<Rejection> check(InteractionEvent event, long nowMs) {
    Optional<Rejection> badId =
        IdRules.check("event_id", event.getEventId())
            .or(() -> IdRules.check("user_id", event.getUserId()))
            .or(() -> IdRules.check("item_id", event.getItemId()))
            .or(() -> IdRules.check("scene", event.getScene()));
    if (badId.isPresent()) {
      return badId;
    }
    long time = event.getTimestamp();
    if (time < minEventTime.toEpochMilli()) {
      return Optional.of(
          new Rejection(
              DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
              "timestamp " + time + " is before the minimum event time " + minEventTime));
    }
    long latest = nowMs + maxClockSkew.toMillis();
    if (time > latest) {
      return Optional.of(
          new Rejection(
              DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
              "timestamp "
                  + time
                  + " is more than "
                  + maxClockSkew
                  + " ahead of the wall clock ("
                  + nowMs
                  + ")"));
    }
    return Optional.empty();
  }
}
