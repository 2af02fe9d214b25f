package org.interesttracker.prepare;

import java.io.IOException;
import java.util.function.Consumer;
import org.interesttracker.eventlog.EventLogRecord;

/** Turns one raw public dataset into event-log records. */
public interface DatasetConverter {

  /**
   * Reads the raw dataset and passes every well-formed event to {@code sink}, in file order; lines
   * that cannot become events are counted in {@code report}.
   *
   * @throws IOException if the input cannot be read at all (missing file, for instance)
   */
  void convert(ConversionReport report, Consumer<EventLogRecord> sink) throws IOException;
}
