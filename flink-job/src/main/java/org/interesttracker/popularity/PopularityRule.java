package org.interesttracker.popularity;

import java.io.Serializable;

/**
 * How live popularity is computed (model/README.md, "Live popularity"), as the model's manifest
 * gives it: an item's weight is the sum over its events of 2^(-age / half-life); weights are
 * published as snapshots every {@code intervalMs} of event time, the snapshot at boundary b holding
 * the events strictly before b decayed to b; a request at time t reads the snapshot at floor((t -
 * delay) / interval) x interval. An item whose weight falls below {@code minWeight} leaves the
 * table. The Python twin is {@code live_popularity.py}; the export's golden popularity checks they
 * agree.
 */
public record PopularityRule(double halfLifeHours, long intervalMs, double minWeight, long delayMs)
    implements Serializable {
  private static final double MS_PER_HOUR = 3_600_000.0;

  public PopularityRule {
    if (!(halfLifeHours > 0) || intervalMs <= 0 || !(minWeight >= 0) || delayMs < 0) {
      throw new IllegalArgumentException(
          "a popularity rule needs a positive half-life and interval and no negative minimum or"
              + " delay: "
              + this);
    }
  }

  /** The start of the interval {@code timeMs} falls in. */
  public long intervalStart(long timeMs) {
    return Math.floorDiv(timeMs, intervalMs) * intervalMs;
  }

  /** The boundary whose snapshot a request at {@code requestTimeMs} reads. */
  public long boundaryOf(long requestTimeMs) {
    return intervalStart(requestTimeMs - delayMs);
  }

  /** The factor a weight keeps after {@code elapsedMs}. */
  public double decay(long elapsedMs) {
    return Math.pow(2.0, -elapsedMs / (halfLifeHours * MS_PER_HOUR));
  }

  /**
   * A weight at {@code atMs} as a snapshot at the later {@code boundaryMs} holds it: decayed, or 0
   * once below the minimum.
   */
  public double weightAt(double weight, long atMs, long boundaryMs) {
    double decayed = weight * decay(boundaryMs - atMs);
    return decayed < minWeight ? 0.0 : decayed;
  }

  /**
   * The weight at the end of the interval starting at {@code startMs} after its events ({@code
   * timesMs[from .. to)}, in time order), from {@code weight} at {@code atMs} ({@link
   * ItemWeight#NONE} for none): decayed to the interval's start, dropped when below the minimum,
   * decayed across the interval, and each event added decayed to the interval's end. The same
   * steps, in the same order, as {@code DecayedWeights.add_interval}.
   */
  double addInterval(double weight, long atMs, long startMs, long[] timesMs, int from, int to) {
    double next = atMs == ItemWeight.NONE ? weight : weight * decay(startMs - atMs);
    if (next < minWeight) {
      next = 0.0;
    }
    long endMs = startMs + intervalMs;
    next *= decay(intervalMs);
    for (int i = from; i < to; i++) {
      next += decay(endMs - timesMs[i]);
    }
    return next;
  }
}
