package org.interesttracker.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of an exported streaming step (model/README.md, "Streaming step contract"): which
 * contract version the directory follows and the sizes every buffer is built from.
 *
 * @param historyLength L: events each read-out sees, the new one included (L - 1 are cached)
 * @param encoderWindow W: earlier events the encoder reads the tokens of
 * @param cacheDim r: floats cached per event
 * @param dim d: width of interest vectors and item embeddings
 * @param queries read-out names: every scene in scene-axis order, then the scene-blind one
 */
public record StreamingStepManifest(
    Path directory,
    int historyLength,
    int encoderWindow,
    int cacheDim,
    int dim,
    List<String> queries,
    Path stepGraph) {
  static final String CONTRACT = "streaming-step";
  static final int CONTRACT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Events whose cached vectors a user keeps: L - 1. */
  public int cachedEvents() {
    return historyLength - 1;
  }

  /** Events whose tokens a user keeps: the cached ones and the window before the oldest of them. */
  public int keptEvents() {
    return cachedEvents() + encoderWindow;
  }

  public int numQueries() {
    return queries.size();
  }

  /**
   * Reads {@code manifest.json} of a step directory.
   *
   * @throws ModelLoadException if it is missing, of another contract or version, or inconsistent
   */
  public static StreamingStepManifest read(Path directory) {
    Path file = directory.resolve("manifest.json");
    JsonNode manifest;
    try {
      manifest = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read the manifest: " + e.getMessage(), e);
    }
    String contract = manifest.path("contract").asText();
    int version = manifest.path("contract_version").asInt(-1);
    if (!CONTRACT.equals(contract) || version != CONTRACT_VERSION) {
      throw new ModelLoadException(
          file
              + ": contract "
              + contract
              + " version "
              + version
              + ", but this code implements "
              + CONTRACT
              + " version "
              + CONTRACT_VERSION);
    }
    List<String> queries = new ArrayList<>();
    manifest.path("queries").forEach(query -> queries.add(query.asText()));
    StreamingStepManifest read =
        new StreamingStepManifest(
            directory,
            positive(file, manifest, "history_length"),
            positive(file, manifest, "encoder_window"),
            positive(file, manifest, "cache_dim"),
            positive(file, manifest, "dim"),
            List.copyOf(queries),
            directory.resolve(manifest.path("step").path("file").asText("step.onnx")));
    if (read.encoderWindow >= read.historyLength || queries.isEmpty()) {
      throw new ModelLoadException(
          file + ": needs encoder_window < history_length and at least one query");
    }
    if (!Files.isRegularFile(read.stepGraph)) {
      throw new ModelLoadException(file + ": the step graph " + read.stepGraph + " is missing");
    }
    return read;
  }

  private static int positive(Path file, JsonNode manifest, String field) {
    int value = manifest.path(field).asInt(0);
    if (value <= 0) {
      throw new ModelLoadException(file + ": " + field + " must be a positive integer");
    }
    return value;
  }
}
