package org.interesttracker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a report record as pretty-printed JSON, for scripts and CI. */
final class JsonReports {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonReports() {}

  /** Writes {@code report} to {@code file}, creating missing parent folders. */
  static void write(Path file, Object report) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
  }
}
