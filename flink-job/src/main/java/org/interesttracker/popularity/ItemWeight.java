package org.interesttracker.popularity;

import java.util.Arrays;

/**
 * One item's published weight and the boundary it is decayed to: the aggregation's state per item
 * (a Flink POJO) and what it publishes.
 */
public final class ItemWeight {
  /** {@link #atMs} of an item that has published nothing yet. */
  public static final long NONE = Long.MIN_VALUE;

  public double weight;
  public long atMs = NONE;

  public ItemWeight() {}

  public ItemWeight(double weight, long atMs) {
    this.weight = weight;
    this.atMs = atMs;
  }

  /**
   * Adds the events before {@code boundaryMs}, interval by interval, and returns whether the weight
   * changed. An event of an interval already published (later than the watermark) counts in the
   * first one still open.
   *
   * @param timesMs the item's pending event times before the boundary, in any order
   */
  public boolean publish(PopularityRule rule, long[] timesMs, long boundaryMs) {
    long[] times = timesMs.clone();
    Arrays.sort(times);
    int from = 0;
    boolean changed = false;
    while (from < times.length) {
      long start = Math.max(rule.intervalStart(times[from]), atMs); // NONE is the smallest long
      int to = from;
      while (to < times.length && Math.max(rule.intervalStart(times[to]), start) == start) {
        to++;
      }
      if (start >= boundaryMs) {
        throw new IllegalArgumentException(
            "an event at " + times[from] + " is not before " + boundaryMs);
      }
      weight = rule.addInterval(weight, atMs, start, times, from, to);
      atMs = start + rule.intervalMs();
      changed = true;
      from = to;
    }
    return changed;
  }

  @Override
  public String toString() {
    return weight + " at " + atMs;
  }
}
