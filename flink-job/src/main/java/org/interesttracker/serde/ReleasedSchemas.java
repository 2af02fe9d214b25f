package org.interesttracker.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of a record's schema, shipped in the jar from the repository's {@code
 * schemas/releases/RECORD/v1.avsc, v2.avsc, ...}: the versions producers and consumers out there
 * may still write, so every reader resolves them. A test keeps the current schema among them.
 */
public final class ReleasedSchemas {
  private static final String ROOT = "/schemas/releases/";

  private ReleasedSchemas() {}

  /** The released versions of {@code current}'s record, oldest first. */
  public static List<Schema> of(Schema current) {
    List<Schema> releases = new ArrayList<>();
    for (int version = 1; ; version++) {
      String path = ROOT + current.getName() + "/v" + version + ".avsc";
      try (InputStream in = ReleasedSchemas.class.getResourceAsStream(path)) {
        if (in == null) {
          return releases;
        }
        releases.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the released schema " + path, e);
      }
    }
  }
}
