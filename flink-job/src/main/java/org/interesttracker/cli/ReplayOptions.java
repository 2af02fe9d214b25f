package org.interesttracker.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.interesttracker.eventlog.EventLogReader;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.replay.ReplaySettings;
import org.interesttracker.synthetic.SyntheticConfig;
import org.interesttracker.synthetic.SyntheticDataset;
import org.interesttracker.synthetic.SyntheticGenerator;
import picocli.CommandLine.Option;

/**
 * What to replay into the input topic and how: shared by {@code replay} and {@code local}, which
 * differ only in their defaults (a demo injects faults, a plain replay does not).
 */
public final class ReplayOptions {
  static final long ALL_EVENTS = 0;

  @Option(
      names = "--events",
      paramLabel = "FILE",
      description =
          "Event-log CSV to replay (timestamp_ms,user_id,item_id,scene,event_type); without it,"
              + " the synthetic generator's default world (see the generate command).")
  Path eventsFile;

  @Option(
      names = "--max-events",
      description =
          "Replay at most this many events of the log; 0 = all (default ${DEFAULT-VALUE}).")
  long maxEvents;

  @Option(
      names = "--rate",
      description = "Events per second; 0 = as fast as possible (default ${DEFAULT-VALUE}).")
  double eventsPerSecond = ReplaySettings.AS_FAST_AS_POSSIBLE;

  @Option(
      names = "--duplicate-rate",
      description =
          "Share of events followed by a re-sent earlier event with the same id "
              + "(default ${DEFAULT-VALUE}).")
  double duplicateRate;

  @Option(
      names = "--malformed-rate",
      description =
          "Share of events followed by a record the job must reject: undecodable bytes, an empty "
              + "user id or a timestamp in 1970 (default ${DEFAULT-VALUE}).")
  double malformedRate;

  @Option(
      names = "--seed",
      description = "Seed of the injected faults; the same seed injects the same ones (default 1).")
  long seed = 1;

  @Option(
      names = "--event-id-prefix",
      description =
          "Event ids are <prefix>-<row index>, so replaying the same log again repeats them "
              + "(default ${DEFAULT-VALUE}).")
  String eventIdPrefix = "replay";

  /** Options with the given defaults, which picocli keeps unless the user sets them. */
  ReplayOptions(long maxEvents, double duplicateRate, double malformedRate) {
    this.maxEvents = maxEvents;
    this.duplicateRate = duplicateRate;
    this.malformedRate = malformedRate;
  }

  /** The settings for a replay into {@code topic}; checks every replay option. */
  ReplaySettings settings(String topic) {
    if (maxEvents < 0) {
      throw new IllegalArgumentException("--max-events must be 0 (all) or more, got " + maxEvents);
    }
    return new ReplaySettings(
        topic, eventIdPrefix, eventsPerSecond, duplicateRate, malformedRate, seed);
  }

  /** The events to replay, limited to {@code --max-events}; close the stream when done. */
  Stream<EventLogRecord> openEvents() throws IOException {
    if (eventsFile == null) {
      return synthetic().stream();
    }
    Stream<EventLogRecord> events = EventLogReader.stream(eventsFile);
    return maxEvents == ALL_EVENTS ? events : events.limit(maxEvents);
  }

  /** Where the events come from, for reports. */
  String source() {
    return eventsFile == null ? "synthetic generator" : eventsFile.getFileName().toString();
  }

  private SyntheticDataset synthetic() {
    SyntheticConfig defaults = SyntheticConfig.defaults();
    long events = maxEvents == ALL_EVENTS ? defaults.events() : maxEvents;
    return SyntheticGenerator.generate(
        defaults.withScale(defaults.seed(), defaults.users(), defaults.items(), events));
  }
}
