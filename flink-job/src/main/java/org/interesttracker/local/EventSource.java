package org.interesttracker.local;

import java.io.IOException;
import java.util.stream.Stream;
import org.interesttracker.eventlog.EventLogRecord;

/**
 * Opens the events of a run, the same ones each time: once to replay them, once more to score the
 * recommendations against them.
 */
@FunctionalInterface
public interface EventSource {
  /** The events in replay order; the caller closes the stream. */
  Stream<EventLogRecord> open() throws IOException;
}
