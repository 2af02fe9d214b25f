package org.interesttracker.job;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.MetricGroup;
import org.interesttracker.avro.DeadLetterReason;

/**
 * Dead letters counted by reason (metric group {@code dead-letters}, one counter per reason) and in
 * one total accumulator.
 */
final class DeadLetterCounters {
  private final Map<DeadLetterReason, OutcomeCounter> byReason =
      new EnumMap<>(DeadLetterReason.class);

  DeadLetterCounters(RuntimeContext context) {
    MetricGroup group = context.getMetricGroup().addGroup(JobCounters.DEAD_LETTERS);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      byReason.put(
          reason, OutcomeCounter.register(context, group, reason.name(), JobCounters.DEAD_LETTERS));
    }
  }

  void inc(DeadLetterReason reason) {
    byReason.get(reason).inc();
  }
}
