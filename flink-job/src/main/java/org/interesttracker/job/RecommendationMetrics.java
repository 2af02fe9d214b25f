package org.interesttracker.job;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.common.accumulators.AverageAccumulator;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.VersionQuality;
import org.interesttracker.serving.ModelCoverage;

/**
 * What the web UI shows about recommending: how many went out and of which cold-start kind, how
 * long inference took and on how many users at once, which model made them, how much of the stream
 * it knows, and their online quality.
 */
final class RecommendationMetrics {
  private static final int HISTOGRAM_WINDOW = 10_000;

  private final OutcomeCounter recommendationsOut;
  private final Map<ColdStart, Counter> coldStarts = new EnumMap<>(ColdStart.class);
  private final Histogram inferenceMicros;
  private final Histogram batchSizes;
  private final OnlineQuality quality;
  private final Map<String, OnlineQuality> qualityByVersion = new LinkedHashMap<>();
  private final RuntimeContext context;
  private final ModelCoverage coverage;
  private final AverageAccumulator jobCoverage = new AverageAccumulator();

  /**
   * @param liveVersion the version serving users outside any canary, as it changes
   */
  RecommendationMetrics(
      RuntimeContext context, Supplier<String> liveVersion, ModelCoverage coverage) {
    this.context = context;
    MetricGroup group = context.getMetricGroup();
    recommendationsOut = OutcomeCounter.register(context, JobCounters.RECOMMENDATIONS_OUT);
    MetricGroup coldStartGroup = group.addGroup("cold-starts");
    for (ColdStart kind : ColdStart.values()) {
      coldStarts.put(kind, coldStartGroup.counter(kind.name()));
    }
    inferenceMicros =
        group.histogram(
            "inference-latency-us", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    batchSizes =
        group.histogram(
            "inference-batch-size", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    group.gauge("model-version", liveVersion::get);
    quality = OnlineQuality.register(context, group);
    this.coverage = coverage;
    group.gauge(JobCounters.MODEL_COVERAGE, coverage::share);
    context.addAccumulator(JobCounters.MODEL_COVERAGE, jobCoverage);
  }

  void inference(long micros, int batchSize) {
    inferenceMicros.update(micros);
    batchSizes.update(batchSize);
  }

  void emitted(ColdStart kind) {
    recommendationsOut.inc();
    coldStarts.get(kind).inc();
  }

  /** Counts whether the model knows the event's item and scene. */
  void coverage(String itemId, String scene) {
    jobCoverage.add(coverage.record(itemId, scene) ? 1 : 0);
  }

  /**
   * Scores an event against the user's previous recommendation in its scene, for all versions and
   * for the version now serving the user (which made that recommendation, unless the user moved to
   * another version since).
   */
  void quality(
      String version,
      List<String> previousRecommendation,
      List<String> popularBefore,
      String nextItem) {
    quality.record(previousRecommendation, popularBefore, nextItem);
    qualityByVersion
        .computeIfAbsent(
            version, v -> OnlineQuality.registerVersion(context, context.getMetricGroup(), v))
        .record(previousRecommendation, popularBefore, nextItem);
  }

  /** This instance's quality per version, in the order the versions first served. */
  List<VersionQuality> qualityByVersion() {
    List<VersionQuality> figures = new ArrayList<>();
    qualityByVersion.forEach((version, scores) -> figures.add(scores.figures(version)));
    return figures;
  }
}
