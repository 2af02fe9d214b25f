package org.interesttracker.job;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * One outcome counted twice: as a live metric for the web UI and reporters, and as an accumulator
 * that survives to the end of the job for run reports (see {@link JobCounters}).
 */
final class OutcomeCounter {
  private final Counter metric;
  private final LongCounter accumulator;

  private OutcomeCounter(Counter metric, LongCounter accumulator) {
    this.metric = metric;
    this.accumulator = accumulator;
  }

  static OutcomeCounter register(RuntimeContext context, String name) {
    return register(context, context.getMetricGroup(), name, name);
  }

  static OutcomeCounter register(
      RuntimeContext context, MetricGroup group, String metricName, String accumulatorName) {
    return new OutcomeCounter(group.counter(metricName), context.getLongCounter(accumulatorName));
  }

  void inc() {
    metric.inc();
    accumulator.add(1L);
  }
}
