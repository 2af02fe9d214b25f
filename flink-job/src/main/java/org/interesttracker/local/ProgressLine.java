package org.interesttracker.local;

import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.interesttracker.avro.Recommendation;

/**
 * One progress line of a local run: totals so far and the send rate since the previous line,
 * followed by the latest recommendation with its reasons.
 */
final class ProgressLine implements Supplier<String> {
  private final LongSupplier sent;
  private final LongSupplier profiles;
  private final LongSupplier deadLetters;
  private final LongSupplier duplicates;
  private final Supplier<Optional<Recommendation>> latestRecommendation;
  private final long startNanos = System.nanoTime();
  private long previousSent;
  private long previousNanos = startNanos;

  ProgressLine(
      LongSupplier sent,
      LongSupplier profiles,
      LongSupplier deadLetters,
      LongSupplier duplicates,
      Supplier<Optional<Recommendation>> latestRecommendation) {
    this.sent = sent;
    this.profiles = profiles;
    this.deadLetters = deadLetters;
    this.duplicates = duplicates;
    this.latestRecommendation = latestRecommendation;
  }

  @Override
  public String get() {
    long now = System.nanoTime();
    long sentNow = sent.getAsLong();
    double rate = (sentNow - previousSent) / Math.max(1e-3, (now - previousNanos) / 1e9);
    previousSent = sentNow;
    previousNanos = now;
    return "%6.1f s  sent %,9d  profiles %,9d  dead letters %,6d  duplicates %,6d  %,8.0f events/s"
            .formatted(
                (now - startNanos) / 1e9,
                sentNow,
                profiles.getAsLong(),
                deadLetters.getAsLong(),
                duplicates.getAsLong(),
                rate)
        + latestRecommendation
            .get()
            .map(r -> System.lineSeparator() + RecommendationLine.of(r))
            .orElse("");
  }
}
