package org.interesttracker.eventlog;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.interesttracker.avro.EventType;

/**
 * Reads an event-log CSV one record at a time. It checks the header, parses every row and verifies
 * that rows are in {@link EventLogOrder}; any violation stops reading with an {@link
 * EventLogFormatException} naming the source and line number, because a damaged log would silently
 * change what training or replay sees.
 */
public final class EventLogReader implements Iterator<EventLogRecord>, Closeable {

  private final BufferedReader in;
  private final String source;
  private long lineNumber;
  private EventLogRecord previous;
  private EventLogRecord next;

  /**
   * @param in the CSV text, starting with the header
   * @param source names the input in error messages (a file name, for instance)
   */
  public EventLogReader(Reader in, String source) {
    this.in = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in);
    this.source = source;
    String header = readLine();
    if (!EventLogFormat.HEADER.equals(header)) {
      throw error(
          "expected the header \""
              + EventLogFormat.HEADER
              + "\" but found "
              + (header == null ? "an empty file" : "\"" + header + "\""));
    }
  }

  /** Opens the event log at {@code path}. */
  public static EventLogReader open(Path path) throws IOException {
    return new EventLogReader(
        Files.newBufferedReader(path, StandardCharsets.UTF_8), path.toString());
  }

  /** The records of the file at {@code path} as a lazy stream; close it to close the file. */
  public static Stream<EventLogRecord> stream(Path path) throws IOException {
    EventLogReader reader = open(path);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(reader, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(reader::closeUnchecked);
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = readRecord();
    }
    return next != null;
  }

  @Override
  public EventLogRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more records in " + source);
    }
    EventLogRecord record = next;
    next = null;
    return record;
  }

  private EventLogRecord readRecord() {
    String line = readLine();
    if (line == null) {
      return null;
    }
    EventLogRecord record = parse(line);
    if (previous != null && EventLogOrder.RECORDS.compare(previous, record) > 0) {
      throw error(
          "the file is not sorted: this row must come before the previous one (line "
              + (lineNumber - 1)
              + ")");
    }
    previous = record;
    return record;
  }

  private EventLogRecord parse(String line) {
    String[] fields = line.split(String.valueOf(EventLogFormat.SEPARATOR), -1);
    if (fields.length != EventLogFormat.FIELD_COUNT) {
      throw error(
          "expected " + EventLogFormat.FIELD_COUNT + " fields but found " + fields.length, line);
    }
    long timestampMs;
    try {
      timestampMs = Long.parseLong(fields[0]);
    } catch (NumberFormatException e) {
      throw error("timestamp_ms is not an integer", line);
    }
    for (int i = 1; i < 4; i++) {
      if (fields[i].isEmpty()) {
        throw error(EventLogFormat.FIELD_NAMES.get(i) + " is empty", line);
      }
    }
    EventType eventType;
    try {
      eventType = EventType.valueOf(fields[4]);
    } catch (IllegalArgumentException e) {
      throw error("unknown event_type \"" + fields[4] + "\"", line);
    }
    return new EventLogRecord(timestampMs, fields[1], fields[2], fields[3], eventType);
  }

  private String readLine() {
    try {
      String line = in.readLine();
      if (line != null) {
        lineNumber++;
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + source, e);
    }
  }

  private EventLogFormatException error(String problem, String line) {
    return error(problem + ": \"" + line + "\"");
  }

  private EventLogFormatException error(String problem) {
    return new EventLogFormatException(source + " line " + lineNumber + ": " + problem);
  }

  private void closeUnchecked() {
    try {
      close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
