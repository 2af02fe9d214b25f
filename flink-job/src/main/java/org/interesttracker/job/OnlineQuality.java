package org.interesttracker.job;

import java.util.List;
import org.apache.flink.metrics.MetricGroup;
import org.interesttracker.serving.RankingScore;

/**
 * Prequential quality of the job's own recommendations: each event is scored against the latest
 * recommendation made for its user in its scene, before that recommendation is replaced. Hit rate
 * and NDCG at K are exposed as gauges (cumulative over this parallel instance).
 */
final class OnlineQuality {
  private final RankingScore score = new RankingScore();

  static OnlineQuality register(MetricGroup group) {
    OnlineQuality quality = new OnlineQuality();
    group.gauge("online-evaluated", quality.score::evaluated);
    group.gauge("online-hit-rate", quality.score::hitRate);
    group.gauge("online-ndcg", quality.score::ndcg);
    return quality;
  }

  void record(List<String> previousRecommendation, String nextItem) {
    if (previousRecommendation != null && !previousRecommendation.isEmpty()) {
      score.add(previousRecommendation, nextItem);
    }
  }
}
