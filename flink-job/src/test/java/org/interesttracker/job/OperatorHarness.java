package org.interesttracker.job;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.interesttracker.avro.Recommendation;

/**
 * The keyed operator as the job runs it: events keyed by user, control requests and popularity
 * updates unkeyed (they are broadcast), on the given state backend. Tests that compare with the
 * job's step applied directly give settings without live popularity, so that both rank with the
 * model's exported table.
 */
final class OperatorHarness {
  private OperatorHarness() {}

  static KeyedTwoInputStreamOperatorTestHarness<
          String, SourcedEvent, BroadcastInput, Recommendation>
      of(JobSettings settings, StateBackend backend) throws Exception {
    var harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new InterestUpdateOperator(settings, settings.interestRules(settings.loadModel())),
            SourcedEvent::userId,
            null,
            Types.STRING);
    harness.setStateBackend(backend);
    return harness;
  }
}
