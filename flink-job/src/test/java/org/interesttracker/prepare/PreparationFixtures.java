package org.interesttracker.prepare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.interesttracker.eventlog.EventLogReader;
import org.interesttracker.eventlog.EventLogRecord;

/** Locates test inputs and reads back what a preparation wrote. */
final class PreparationFixtures {

  private PreparationFixtures() {}

  static Path resource(String name) {
    try {
      return Path.of(PreparationFixtures.class.getResource("/prepare/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The shared real-data folder named by the {@code shared.data.dir} system property, if any. */
  static Path sharedData(String relative) {
    String dir = System.getProperty("shared.data.dir");
    return dir == null ? null : Path.of(dir).resolve(relative);
  }

  static boolean exists(Path path) {
    return path != null && Files.exists(path);
  }

  static List<EventLogRecord> readLog(Path file) {
    try (Stream<EventLogRecord> records = EventLogReader.stream(file)) {
      return records.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Long> malformedCounts(ConversionReport report) {
    return report.malformedByReason().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().count()));
  }
}
