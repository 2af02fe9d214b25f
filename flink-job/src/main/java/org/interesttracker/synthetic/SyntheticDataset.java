package org.interesttracker.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.eventlog.EventLogWriter;

/** A generated event log, in event-log order, together with the ground truth that produced it. */
public record SyntheticDataset(List<EventLogRecord> events, GroundTruth truth) {

  public SyntheticDataset {
    events = List.copyOf(events);
  }

  /** The events in event-log order, for replay. */
  public Stream<EventLogRecord> stream() {
    return events.stream();
  }

  /** Writes the events as an event-log CSV. */
  public void writeEventLog(Path file) throws IOException {
    EventLogWriter.writeAll(file, events.iterator());
  }

  /** Writes the ground truth as indented JSON. */
  public void writeTruth(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), truth);
  }
}
