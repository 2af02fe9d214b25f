package org.interesttracker.local;

import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.avro.Recommendation;

/**
 * One progress line of a local run: what was sent, what the job has processed (events answered,
 * dead letters and dropped duplicates) and how fast since the previous line, recommendations out,
 * the backlog, and dead letters by reason; then the latest recommendation with its reasons. Empty
 * when nothing moved since the previous line, so a stack kept running stays quiet until input
 * arrives.
 */
final class ProgressLine implements Supplier<String> {
  private final LongSupplier sent;
  private final LongSupplier answered;
  private final LongSupplier recommendations;
  private final Supplier<Map<DeadLetterReason, Long>> deadLetters;
  private final LongSupplier duplicates;
  private final Supplier<Optional<Recommendation>> latestRecommendation;
  private final long startNanos = System.nanoTime();
  private long previousSent = -1;
  private long previousProcessed;
  private long previousNanos = startNanos;

  ProgressLine(
      LongSupplier sent,
      LongSupplier answered,
      LongSupplier recommendations,
      Supplier<Map<DeadLetterReason, Long>> deadLetters,
      LongSupplier duplicates,
      Supplier<Optional<Recommendation>> latestRecommendation) {
    this.sent = sent;
    this.answered = answered;
    this.recommendations = recommendations;
    this.deadLetters = deadLetters;
    this.duplicates = duplicates;
    this.latestRecommendation = latestRecommendation;
  }

  @Override
  public String get() {
    long now = System.nanoTime();
    long sentNow = sent.getAsLong();
    Map<DeadLetterReason, Long> letters = deadLetters.get();
    long deadLettersNow = letters.values().stream().mapToLong(Long::longValue).sum();
    long processed = answered.getAsLong() + deadLettersNow + duplicates.getAsLong();
    if (sentNow == previousSent && processed == previousProcessed) {
      return "";
    }
    double rate = (processed - previousProcessed) / Math.max(1e-3, (now - previousNanos) / 1e9);
    previousSent = sentNow;
    previousProcessed = processed;
    previousNanos = now;
    return ("%6.1f s  sent %,9d  processed %,9d (%,7.0f/s)  recommendations %,9d  lag %,7d"
                + "  dead letters %,d %s")
            .formatted(
                (now - startNanos) / 1e9,
                sentNow,
                processed,
                rate,
                recommendations.getAsLong(),
                Math.max(0, sentNow - processed),
                deadLettersNow,
                letters.isEmpty() ? "" : letters)
        + latestRecommendation
            .get()
            .map(r -> System.lineSeparator() + RecommendationLine.of(r))
            .orElse("");
  }
}
