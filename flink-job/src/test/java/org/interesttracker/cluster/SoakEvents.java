package org.interesttracker.cluster;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.interesttracker.avro.EventType;
import org.interesttracker.eventlog.EventLogRecord;

/**
 * The soak's events, by number: a fixed population of {@value #USERS} users taking turns, each
 * acting once a minute of event time, over several scenes, items and event types. Once every user
 * has an hour of events, the job's state per user is at its bound (the de-duplication horizon and
 * the history length), so the state of a job that keeps nothing it should not is flat from then on.
 */
final class SoakEvents {
  static final int USERS = 2_000;
  private static final long SPACING_MS = Duration.ofMinutes(1).toMillis() / USERS;
  private static final String[] SCENES = {"home", "search", "video", "shop"};
  private static final EventType[] TYPES = {EventType.VIEW, EventType.CLICK, EventType.LIKE};

  private final long firstTimestampMs;

  /**
   * @param lastTimestampMs the event time no event number below {@code capacity} goes past; the job
   *     refuses events from further than its clock skew ahead of its own clock
   */
  SoakEvents(long lastTimestampMs, long capacity) {
    firstTimestampMs = lastTimestampMs - capacity * SPACING_MS;
  }

  static String userOf(long number) {
    return "soak-user-" + number % USERS;
  }

  EventLogRecord event(long number) {
    return new EventLogRecord(
        firstTimestampMs + number * SPACING_MS,
        userOf(number),
        // Ids the default model knows, so recommendations are personal.
        String.valueOf(1 + number * 7 % 50),
        SCENES[(int) (number % 7 % SCENES.length)],
        TYPES[(int) (number % 5 % TYPES.length)]);
  }

  /** Events number {@code first} to {@code first + count - 1}, made as they are sent. */
  Iterator<EventLogRecord> range(long first, long count) {
    return new Iterator<>() {
      private long next = first;

      @Override
      public boolean hasNext() {
        return next < first + count;
      }

      @Override
      public EventLogRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return event(next++);
      }
    };
  }
}
