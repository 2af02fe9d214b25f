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

  public void add(List<String> ranked, String pickedItem) {
    double gain = RankingGain.of(ranked, pickedItem);
    evaluated++;
    hits += gain > 0 ? 1 : 0;
    gains += gain;
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
