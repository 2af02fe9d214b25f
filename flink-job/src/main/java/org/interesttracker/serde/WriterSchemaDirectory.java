package org.interesttracker.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Writer schemas given at run time: every {@code *.avsc} file of a directory, so producers can roll
 * out a new schema version before the job that reads it is upgraded.
 */
public final class WriterSchemaDirectory {
  private WriterSchemaDirectory() {}

  /**
   * The schemas in {@code directory}, or none if it is null.
   *
   * @throws IllegalArgumentException naming the directory or file that cannot be read or parsed
   */
  public static List<Schema> read(String directory) {
    if (directory == null) {
      return List.of();
    }
    Path dir = Path.of(directory);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("writer-schemas: " + directory + " is not a directory");
    }
    List<Schema> schemas = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
        schemas.add(parse(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the writer schemas in " + directory, e);
    }
    return schemas;
  }

  private static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(file.toFile());
    } catch (IOException | SchemaParseException e) {
      throw new IllegalArgumentException(
          "writer-schemas: " + file + " is not an Avro schema: " + e.getMessage(), e);
    }
  }
}
