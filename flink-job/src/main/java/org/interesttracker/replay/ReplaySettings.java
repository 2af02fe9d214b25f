package org.interesttracker.replay;

/**
 * How to replay an event log into Kafka.
 *
 * @param topic the topic to write {@code InteractionEvent}s to
 * @param eventIdPrefix event ids are {@code <prefix>-<row index>}, so a replay is repeatable
 * @param eventsPerSecond records sent per second, or 0 for as fast as possible
 * @param duplicateRate share of events followed by a re-sent earlier event with the same id
 * @param malformedRate share of events followed by a record the job must reject
 * @param seed makes the injected faults repeatable
 */
public record ReplaySettings(
    String topic,
    String eventIdPrefix,
    double eventsPerSecond,
    double duplicateRate,
    double malformedRate,
    long seed) {

  public static final double AS_FAST_AS_POSSIBLE = 0;

  public ReplaySettings {
    requireNonBlank(topic, "topic");
    requireNonBlank(eventIdPrefix, "event id prefix");
    if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException(
          "rate must be a positive number of events per second, or 0 for as fast as possible; got "
              + eventsPerSecond);
    }
    requireShare(duplicateRate, "duplicate rate");
    requireShare(malformedRate, "malformed rate");
  }

  /** As fast as possible, no injected faults. */
  public static ReplaySettings plain(String topic, String eventIdPrefix) {
    return new ReplaySettings(topic, eventIdPrefix, AS_FAST_AS_POSSIBLE, 0, 0, 0);
  }

  private static void requireNonBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }

  private static void requireShare(double value, String name) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, got " + value);
    }
  }
}
