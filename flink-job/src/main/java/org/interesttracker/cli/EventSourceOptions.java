package org.interesttracker.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.interesttracker.eventlog.EventLogReader;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.synthetic.SyntheticConfig;
import org.interesttracker.synthetic.SyntheticGenerator;
import picocli.CommandLine.Option;

/** Which events a command works on: an event-log file, or the synthetic generator's world. */
public final class EventSourceOptions {
  static final long ALL_EVENTS = 0;

  @Option(
      names = "--events",
      paramLabel = "FILE",
      description =
          "Event-log CSV (timestamp_ms,user_id,item_id,scene,event_type); without it, the "
              + "synthetic generator's default world (see the generate command).")
  Path eventsFile;

  @Option(
      names = "--max-events",
      paramLabel = "N",
      description = "Use at most this many events of the log; 0 = all (default ${DEFAULT-VALUE}).")
  long maxEvents;

  EventSourceOptions(long maxEvents) {
    this.maxEvents = maxEvents;
  }

  /** The events, limited to {@code --max-events}; close the stream when done. */
  Stream<EventLogRecord> open() throws IOException {
    check();
    if (eventsFile == null) {
      SyntheticConfig defaults = SyntheticConfig.defaults();
      long events = maxEvents == ALL_EVENTS ? defaults.events() : maxEvents;
      return SyntheticGenerator.generate(
          defaults.withScale(defaults.seed(), defaults.users(), defaults.items(), events))
          .stream();
    }
    Stream<EventLogRecord> events = EventLogReader.stream(eventsFile);
    return maxEvents == ALL_EVENTS ? events : events.limit(maxEvents);
  }

  /** Fails on a negative {@code --max-events}, before anything is started. */
  void check() {
    if (maxEvents < 0) {
      throw new IllegalArgumentException("--max-events must be 0 (all) or more, got " + maxEvents);
    }
  }

  /** Where the events come from, for reports. */
  String describe() {
    return eventsFile == null ? "synthetic generator" : eventsFile.getFileName().toString();
  }
}
