package org.interesttracker.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The sizes and contract of an exported streaming step (model/README.md, "Streaming step
 * contract"), read from its {@code manifest.json}: every buffer of the serving path is built from
 * these.
 *
 * @param contractVersion 1, or 2 for a step that also takes each row's request age
 * @param historyLength L: events each read-out sees, the new one included (L - 1 are cached)
 * @param encoderWindow W: earlier events the encoder reads the tokens of
 * @param cacheDim r: floats cached per event
 * @param dim d: width of interest vectors and item embeddings
 * @param queries read-out names: every scene in scene-axis order, then the scene-blind one
 * @param stepFile the ONNX graph's file name in the model directory
 */
public record StreamingStepManifest(
    int contractVersion,
    int historyLength,
    int encoderWindow,
    int cacheDim,
    int dim,
    List<String> queries,
    String stepFile) {
  static final String CONTRACT = "streaming-step";
  static final int OLDEST_CONTRACT_VERSION = 1;
  static final int NEWEST_CONTRACT_VERSION = 2;
  private static final int FIRST_VERSION_WITH_REQUEST_AGE = 2;

  /** Events whose cached vectors a user keeps: L - 1. */
  public int cachedEvents() {
    return historyLength - 1;
  }

  /** Events whose tokens a user keeps: the cached ones and the window before the oldest of them. */
  public int keptEvents() {
    return cachedEvents() + encoderWindow;
  }

  /**
   * Whether the step reads {@code request_age_seconds}: how long after the newest event the
   * read-outs are requested (contract 2).
   */
  public boolean takesRequestAge() {
    return contractVersion >= FIRST_VERSION_WITH_REQUEST_AGE;
  }

  public int numQueries() {
    return queries.size();
  }

  /** Index of the scene-blind read-out among the queries: the last. */
  public int blindQuery() {
    return queries.size() - 1;
  }

  /**
   * Checks the contract and sizes of a parsed manifest.
   *
   * @param location names the manifest in errors
   * @throws ModelLoadException if it is of another contract or version, or inconsistent
   */
  static StreamingStepManifest parse(JsonNode manifest, String location) {
    String contract = manifest.path("contract").asText();
    int version = manifest.path("contract_version").asInt(-1);
    if (!CONTRACT.equals(contract)
        || version < OLDEST_CONTRACT_VERSION
        || version > NEWEST_CONTRACT_VERSION) {
      throw new ModelLoadException(
          location
              + ": contract "
              + contract
              + " version "
              + version
              + ", but this code implements "
              + CONTRACT
              + " versions "
              + OLDEST_CONTRACT_VERSION
              + " to "
              + NEWEST_CONTRACT_VERSION
              + " (re-export the model with this release's model/ code)");
    }
    List<String> queries = new ArrayList<>();
    manifest.path("queries").forEach(query -> queries.add(query.asText()));
    StreamingStepManifest read =
        new StreamingStepManifest(
            version,
            positive(location, manifest, "history_length"),
            positive(location, manifest, "encoder_window"),
            positive(location, manifest, "cache_dim"),
            positive(location, manifest, "dim"),
            List.copyOf(queries),
            manifest.path("step").path("file").asText("step.onnx"));
    if (read.encoderWindow >= read.historyLength || queries.isEmpty()) {
      throw new ModelLoadException(
          location + ": needs encoder_window < history_length and at least one query");
    }
    return read;
  }

  private static int positive(String location, JsonNode manifest, String field) {
    int value = manifest.path(field).asInt(0);
    if (value <= 0) {
      throw new ModelLoadException(location + ": " + field + " must be a positive integer");
    }
    return value;
  }
}
