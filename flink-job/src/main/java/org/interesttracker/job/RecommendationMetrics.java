package org.interesttracker.job;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.AverageAccumulator;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.interesttracker.avro.ColdStart;
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
  private final ModelCoverage coverage;
  private final AverageAccumulator jobCoverage = new AverageAccumulator();

  RecommendationMetrics(RuntimeContext context, String modelVersion, ModelCoverage coverage) {
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
    group.gauge("model-version", () -> modelVersion);
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

  OnlineQuality quality() {
    return quality;
  }
}
