package org.interesttracker.serving;

import java.util.List;

/**
 * Running hit rate and NDCG of ranked lists, each scored against the one item the user picked next.
 * Not thread-safe.
 */
public final class RankingScore {
  private long evaluated;
  private long hits;
  private double gains;

  /** Scores one list; returns its gain (0 for a miss). */
  public double add(List<String> ranked, String pickedItem) {
    double gain = RankingGain.of(ranked, pickedItem);
    evaluated++;
    hits += gain > 0 ? 1 : 0;
    gains += gain;
    return gain;
  }

  public long evaluated() {
    return evaluated;
  }

  public double hitRate() {
    return evaluated == 0 ? 0.0 : (double) hits / evaluated;
  }

  public double ndcg() {
    return evaluated == 0 ? 0.0 : gains / evaluated;
  }
}
