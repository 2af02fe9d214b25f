package org.interesttracker.job;

import java.util.List;
import org.apache.flink.metrics.MetricGroup;
import org.interesttracker.serving.RankingGain;

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

  void record(List<String> previousRecommendation, String nextItem) {
    if (previousRecommendation == null || previousRecommendation.isEmpty()) {
      return;
    }
    double gain = RankingGain.of(previousRecommendation, nextItem);
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
