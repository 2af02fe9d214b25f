package org.interesttracker.job;

import java.util.List;
import org.apache.flink.api.common.accumulators.AverageAccumulator;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.MetricGroup;
import org.interesttracker.avro.VersionQuality;
import org.interesttracker.serving.RankingScore;

/**
 * Prequential quality of the job's own recommendations: each event is scored against the latest
 * recommendation made for its user in its scene, before that recommendation is replaced. Hit rate
 * and NDCG at K are gauges of this parallel instance (for reporters, cumulative) and accumulators
 * of the whole job ({@link JobCounters#ONLINE_HIT_RATE}, {@link JobCounters#ONLINE_NDCG}), which
 * the web UI shows on the job's page.
 */
final class OnlineQuality {
  private final RankingScore score = new RankingScore();
  private final RankingScore popularity = new RankingScore();
  private final AverageAccumulator jobHitRate = new AverageAccumulator();
  private final AverageAccumulator jobNdcg = new AverageAccumulator();
  private final AverageAccumulator jobPopularityHitRate = new AverageAccumulator();
  private final AverageAccumulator jobPopularityNdcg = new AverageAccumulator();

  /** The quality of every recommendation. */
  static OnlineQuality register(RuntimeContext context, MetricGroup group) {
    return register(context, group, "");
  }

  /**
   * The quality of one model version's recommendations: gauges in a {@code model_version} group (a
   * label for Prometheus), accumulators named {@code online-hit-rate <version>}.
   */
  static OnlineQuality registerVersion(RuntimeContext context, MetricGroup group, String version) {
    return register(context, group.addGroup("model_version", version), " " + version);
  }

  private static OnlineQuality register(
      RuntimeContext context, MetricGroup group, String accumulatorSuffix) {
    OnlineQuality quality = new OnlineQuality();
    group.gauge("online-evaluated", quality.score::evaluated);
    group.gauge("online-hit-rate", quality.score::hitRate);
    group.gauge("online-ndcg", quality.score::ndcg);
    group.gauge("popularity-hit-rate", quality.popularity::hitRate);
    group.gauge("popularity-ndcg", quality.popularity::ndcg);
    context.addAccumulator(JobCounters.ONLINE_HIT_RATE + accumulatorSuffix, quality.jobHitRate);
    context.addAccumulator(JobCounters.ONLINE_NDCG + accumulatorSuffix, quality.jobNdcg);
    context.addAccumulator(
        JobCounters.POPULARITY_HIT_RATE + accumulatorSuffix, quality.jobPopularityHitRate);
    context.addAccumulator(
        JobCounters.POPULARITY_NDCG + accumulatorSuffix, quality.jobPopularityNdcg);
    return quality;
  }

  /** This instance's figures, for an operations record. */
  VersionQuality figures(String version) {
    return new VersionQuality(
        version,
        score.evaluated(),
        score.hitRate(),
        score.ndcg(),
        popularity.hitRate(),
        popularity.ndcg());
  }

  /**
   * Scores the item the user picked against the model's previous recommendation and the popularity
   * baseline's at the same event.
   */
  void record(List<String> previousRecommendation, List<String> popularBefore, String nextItem) {
    if (previousRecommendation != null && !previousRecommendation.isEmpty()) {
      add(score, jobHitRate, jobNdcg, previousRecommendation, nextItem);
      add(popularity, jobPopularityHitRate, jobPopularityNdcg, popularBefore, nextItem);
    }
  }

  private static void add(
      RankingScore score,
      AverageAccumulator hitRate,
      AverageAccumulator ndcg,
      List<String> ranked,
      String nextItem) {
    double gain = score.add(ranked, nextItem);
    hitRate.add(gain > 0 ? 1 : 0);
    ndcg.add(gain);
  }
}
