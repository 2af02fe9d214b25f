package org.interesttracker.job;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.MetricGroup;
import org.interesttracker.avro.DeadLetterReason;

/**
 * Dead letters counted by reason (metric group {@code dead-letters}, one counter per reason), in
 * one total accumulator and in one accumulator per reason ({@code dead-letters.REASON}): the
 * accumulators add up over every operator that refuses records, so the job's page in the web UI
 * shows each reason once for the whole job.
 */
final class DeadLetterCounters {
  private final Map<DeadLetterReason, OutcomeCounter> byReason =
      new EnumMap<>(DeadLetterReason.class);
  private final Map<DeadLetterReason, LongCounter> jobByReason =
      new EnumMap<>(DeadLetterReason.class);

  DeadLetterCounters(RuntimeContext context) {
    MetricGroup group = context.getMetricGroup().addGroup(JobCounters.DEAD_LETTERS);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      byReason.put(
          reason, OutcomeCounter.register(context, group, reason.name(), JobCounters.DEAD_LETTERS));
      jobByReason.put(
          reason, context.getLongCounter(JobCounters.DEAD_LETTERS + "." + reason.name()));
    }
  }

  void inc(DeadLetterReason reason) {
    byReason.get(reason).inc();
    jobByReason.get(reason).add(1L);
  }
}
