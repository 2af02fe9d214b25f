package org.interesttracker.serving;

import java.util.List;

/** How much a ranked list earns when the user then picks {@code item}: NDCG with one relevant. */
public final class RankingGain {
  private RankingGain() {}

  /** 1 / log2(rank + 2) for the item's 0-based rank, or 0 if the list does not hold it. */
  public static double of(List<String> ranked, String item) {
    int rank = ranked.indexOf(item);
    return rank < 0 ? 0.0 : 1.0 / (Math.log(rank + 2) / Math.log(2));
  }
}
