package org.interesttracker.job;

import java.util.List;
import org.apache.flink.metrics.MetricGroup;

/**
 * Prequential quality of the job's own recommendations: each event is scored against the latest
 * recommendation made for its user in its scene, before that recommendation is replaced. Hit rate
 * and NDCG at K are exposed as gauges (cumulative over this parallel instance).
 */
final class OnlineQuality {
  private long evaluated;
  private long hits;
  private double ndcgSum;

  static OnlineQuality register(MetricGroup group) {
    OnlineQuality quality = new OnlineQuality();
    group.gauge("online-evaluated", () -> quality.evaluated);
    group.gauge("online-hit-rate", quality::hitRate);
    group.gauge("online-ndcg", quality::ndcg);
    return quality;
  }

  /** Discounted gain of {@code item} in a ranked list: 1 / log2(rank + 2), 0 if absent. */
  static double gain(List<String> ranked, String item) {
    int rank = ranked.indexOf(item);
    return rank < 0 ? 0.0 : 1.0 / (Math.log(rank + 2) / Math.log(2));
  }

  void record(List<String> previousRecommendation, String nextItem) {
    if (previousRecommendation == null || previousRecommendation.isEmpty()) {
      return;
    }
    double gain = gain(previousRecommendation, nextItem);
    evaluated++;
    hits += gain > 0 ? 1 : 0;
    ndcgSum += gain;
  }

  double hitRate() {
    return evaluated == 0 ? 0.0 : (double) hits / evaluated;
  }

  double ndcg() {
    return evaluated == 0 ? 0.0 : ndcgSum / evaluated;
  }
}
