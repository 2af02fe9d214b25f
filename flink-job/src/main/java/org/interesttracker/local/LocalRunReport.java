package org.interesttracker.local;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.bench.StateSize;
import org.interesttracker.local.PrequentialEvaluation.QualityReport;
import org.interesttracker.replay.MalformedKind;
import org.interesttracker.serving.OfflineQuality;

/**
 * The outcome of a local run, printed at the end and written as JSON with {@code --report}.
 *
 * @param eventsSent every record written to the input topic: valid events, injected duplicates and
 *     injected malformed records
 * @param eventsAnswered events applied, counted from their recommendations
 * @param profilesOut profile records read: one when a user's strengths moved enough
 * @param recommendationsOut recommendation records read; one per accepted event and target scene
 * @param duplicatesDropped as counted by the job
 * @param unreadableOutput output records that were not valid Avro; always 0 unless the job is
 *     broken
 * @param countsAddUp whether {@code eventsSent = eventsAnswered + deadLetters + duplicatesDropped}
 * @param throughputEventsPerSecond {@code eventsSent} over the time from the first send until the
 *     last output was read: start-up and warm-up included
 * @param steadyStateEventsPerSecond events applied per second between 30% and 95% of the run's
 *     outputs: without start-up and warm-up; null for a run too short to tell
 * @param latency from each event's send to the read of its recommendation
 * @param quality hit rate and NDCG at K of the job's recommendations and of live per-scene
 *     popularity, each recommendation scored against the user's next event in its scene
 * @param offlineQuality the model's own figures on this stream under the same protocol, computed in
 *     PyTorch when it was exported; null unless the replayed events are exactly its training log
 * @param coldStarts recommendations read, by cold-start kind
 * @param modelCoverage share of the replayed events (the first 100,000) whose item and scene the
 *     model knows
 * @param stateBytesPerUser the keyed state of each user at the end of the run
 */
public record LocalRunReport(
    String source,
    long eventsSent,
    long validEvents,
    long duplicatesInjected,
    Map<MalformedKind, Long> malformedInjected,
    long eventsAnswered,
    long profilesOut,
    long recommendationsOut,
    long deadLetters,
    Map<DeadLetterReason, Long> deadLettersByReason,
    long duplicatesDropped,
    long unreadableOutput,
    boolean countsAddUp,
    double throughputEventsPerSecond,
    Double steadyStateEventsPerSecond,
    LatencyPercentiles latency,
    QualityReport quality,
    OfflineQuality offlineQuality,
    Map<ColdStart, Long> coldStarts,
    double modelCoverage,
    StateSize.Summary stateBytesPerUser,
    double wallTimeSeconds) {

  public LocalRunReport {
    // Sorted copies: reports of two runs list their counts in the same order.
    malformedInjected = Collections.unmodifiableMap(new TreeMap<>(malformedInjected));
    deadLettersByReason = Collections.unmodifiableMap(new TreeMap<>(deadLettersByReason));
    coldStarts = Collections.unmodifiableMap(new TreeMap<>(coldStarts));
  }

  /** Share of recommendations that were not personal from the scene's own history. */
  @JsonProperty
  public double coldStartShare() {
    long total = coldStarts.values().stream().mapToLong(Long::longValue).sum();
    return total == 0 ? 0 : 1.0 - (double) coldStarts.getOrDefault(ColdStart.NONE, 0L) / total;
  }

  /**
   * Online NDCG over the model's offline NDCG on the same stream; null without an offline figure.
   */
  @JsonProperty
  public Double onlineToOfflineNdcg() {
    return offlineQuality == null ? null : quality.ndcg() / offlineQuality.ndcg();
  }

  public long malformedInjectedTotal() {
    return malformedInjected.values().stream().mapToLong(Long::longValue).sum();
  }
}
