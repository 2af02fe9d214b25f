package org.interesttracker.cli;

import java.io.IOException;
import java.util.stream.Stream;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.replay.ReplaySettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What to replay into the input topic and how: shared by {@code replay} and {@code local}, which
 * differ only in their defaults (a demo injects faults, a plain replay does not).
 */
public final class ReplayOptions {
  @Mixin EventSourceOptions events;

  @Option(
      names = "--rate",
      paramLabel = "EVENTS_PER_S",
      description = "Events per second; 0 = as fast as possible (default ${DEFAULT-VALUE}).")
  double eventsPerSecond = ReplaySettings.AS_FAST_AS_POSSIBLE;

  @Option(
      names = "--duplicate-rate",
      paramLabel = "SHARE",
      description =
          "Share of events followed by a re-sent earlier event with the same id "
              + "(default ${DEFAULT-VALUE}).")
  double duplicateRate;

  @Option(
      names = "--malformed-rate",
      paramLabel = "SHARE",
      description =
          "Share of events followed by a record the job must reject: undecodable bytes, an empty "
              + "user id or a timestamp in 1970 (default ${DEFAULT-VALUE}).")
  double malformedRate;

  @Option(
      names = "--fault-seed",
      paramLabel = "N",
      description = "Seed of the injected faults; the same seed injects the same ones (default 1).")
  long seed = 1;

  @Option(
      names = "--event-id-prefix",
      paramLabel = "PREFIX",
      description =
          "Event ids are <prefix>-<row index>, so replaying the same log again repeats them "
              + "(default ${DEFAULT-VALUE}).")
  String eventIdPrefix = "replay";

  /** Options with the given defaults, which picocli keeps unless the user sets them. */
  ReplayOptions(long maxEvents, double duplicateRate, double malformedRate) {
    this.events = new EventSourceOptions(maxEvents);
    this.duplicateRate = duplicateRate;
    this.malformedRate = malformedRate;
  }

  /** The settings for a replay into {@code topic}; checks every replay option. */
  ReplaySettings settings(String topic) {
    events.check();
    return new ReplaySettings(
        topic, eventIdPrefix, eventsPerSecond, duplicateRate, malformedRate, seed);
  }

  /** The events to replay, limited to {@code --max-events}; close the stream when done. */
  Stream<EventLogRecord> openEvents() throws IOException {
    return events.open();
  }

  /** Where the events come from, for reports. */
  String source() {
    return events.describe();
  }
}
