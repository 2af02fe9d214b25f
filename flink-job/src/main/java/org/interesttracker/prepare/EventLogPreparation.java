package org.interesttracker.prepare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.interesttracker.eventlog.EventLogOrder;
import org.interesttracker.eventlog.EventLogRecord;
import org.interesttracker.eventlog.EventLogSummary;
import org.interesttracker.eventlog.EventLogWriter;

/**
 * Runs one converter into a sorted event-log file. Raw datasets are not in event-log order
 * (MovieLens is shuffled, Taobao grouped by user), so the events are sorted in memory; the public
 * datasets this is for fit easily.
 */
public final class EventLogPreparation {

  /** What a preparation read and wrote. */
  public record Result(ConversionReport report, EventLogSummary written) {}

  private EventLogPreparation() {}

  public static Result run(DatasetConverter converter, Path output) throws IOException {
    ConversionReport report = new ConversionReport();
    List<EventLogRecord> events = new ArrayList<>();
    converter.convert(report, events::add);
    events.sort(EventLogOrder.RECORDS);
    EventLogSummary summary = new EventLogSummary();
    events.forEach(summary::add);
    EventLogWriter.writeAll(output, events.iterator());
    return new Result(report, summary);
  }
}
