package org.interesttracker.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The model's prequential quality on its own training log, computed in PyTorch at export time and
 * served as the job serves it: what the job's online quality on that same stream should come to.
 * The manifest names the log by the SHA-256 of its event-log CSV.
 *
 * @param logSha256 the fingerprint of the event log the figures are for
 * @param events events in that log
 * @param k length of the scored lists
 * @param evaluated events scored against an earlier list of their user and scene
 */
public record OfflineQuality(
    String logSha256, long events, int k, long evaluated, double hitRate, double ndcg) {

  /** The manifest's {@code offline_quality}, absent from models exported before it existed. */
  static Optional<OfflineQuality> fromManifest(JsonNode manifest) {
    JsonNode figures = manifest.path("offline_quality");
    if (figures.isMissingNode()) {
      return Optional.empty();
    }
    int k = figures.path("k").asInt();
    return Optional.of(
        new OfflineQuality(
            figures.path("log_sha256").asText(),
            figures.path("events").asLong(),
            k,
            figures.path("evaluated").asLong(),
            figures.path("HR@" + k).asDouble(),
            figures.path("NDCG@" + k).asDouble()));
  }

  /** Whether these figures were computed on the stream with this fingerprint, with lists of k. */
  public boolean describes(String streamSha256, int listLength) {
    return logSha256.equals(streamSha256) && k == listLength;
  }
}
