package org.interesttracker.eventlog;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Writes an event-log CSV one record at a time: the header first, then one line per record. The
 * format has no quoting, so a field holding a comma or a line break is refused rather than written
 * ambiguously, and records must arrive in {@link EventLogOrder} so every file is sorted.
 */
public final class EventLogWriter implements Closeable {

  private final Writer out;
  private EventLogRecord previous;
  private long written;

  public EventLogWriter(Writer out) {
    this.out = out;
    writeLine(EventLogFormat.HEADER);
  }

  /** Creates (or replaces) the file at {@code path}, with its parent folders. */
  public static EventLogWriter create(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new EventLogWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
  }

  /** Writes all records to a new file at {@code path}; returns how many were written. */
  public static long writeAll(Path path, Iterator<EventLogRecord> records) throws IOException {
    try (EventLogWriter writer = create(path)) {
      records.forEachRemaining(writer::write);
      return writer.written();
    }
  }

  /**
   * Appends one record.
   *
   * @throws EventLogFormatException if a field is empty or holds a comma or line break, or the
   *     record sorts before the previous one
   */
  public void write(EventLogRecord record) {
    String user = checkedField("user_id", record.userId(), record);
    String item = checkedField("item_id", record.itemId(), record);
    String scene = checkedField("scene", record.scene(), record);
    if (record.eventType() == null) {
      throw new EventLogFormatException("event_type is missing in " + record);
    }
    if (previous != null && EventLogOrder.RECORDS.compare(previous, record) > 0) {
      throw new EventLogFormatException(
          "records must be written in event-log order, but " + record + " comes after " + previous);
    }
    writeLine(
        String.join(
            String.valueOf(EventLogFormat.SEPARATOR),
            Long.toString(record.timestampMs()),
            user,
            item,
            scene,
            record.eventType().name()));
    previous = record;
    written++;
  }

  /** The number of records written so far (the header not counted). */
  public long written() {
    return written;
  }

  private static String checkedField(String name, String value, EventLogRecord record) {
    if (value == null || value.isEmpty()) {
      throw new EventLogFormatException(name + " is empty in " + record);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == EventLogFormat.SEPARATOR || c == '\n' || c == '\r') {
        throw new EventLogFormatException(
            name + " must not contain a comma or line break, got \"" + value + "\"");
      }
    }
    return value;
  }

  private void writeLine(String line) {
    try {
      out.write(line);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
