package org.interesttracker.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.testing.InteractionEvents;

/**
 * Snapshots of the interest-update operator's keyed state as a release wrote them, kept in {@code
 * src/test/resources/state-snapshots/} so that every later release proves it restores them.
 *
 * <p>Before changing the state schema, add the current release's snapshot:
 *
 * <pre>
 * mvn -B -q -pl flink-job test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.interesttracker.job.UserStateSnapshots \
 *   -Dexec.args=flink-job/src/test/resources/state-snapshots/RELEASE.snapshot
 * </pre>
 */
public final class UserStateSnapshots {
  /** The events in every snapshot: {@link InteractionEvents#USERS} users, three events each. */
  static final List<InteractionEvent> EVENTS =
      InteractionEvents.range(0, 3 * InteractionEvents.USERS);

  static final Duration TTL = Duration.ofDays(1);
  static final JobSettings SETTINGS =
      JobSettings.builder()
          .livePopularity(false)
          .bootstrapServers("unused:9092")
          .stateTtl(TTL)
          .bundleSize(1)
          .build();

  private UserStateSnapshots() {}

  public static void main(String[] args) throws Exception {
    try (var harness = harness(new HashMapStateBackend())) {
      harness.open();
      for (InteractionEvent event : EVENTS) {
        harness.processElement1(
            new SourcedEvent(event, "interactions", 0, 0L), event.getTimestamp());
      }
      // A canonical savepoint, as users take before an upgrade; any backend restores it.
      OperatorSubtaskState snapshot =
          harness
              .snapshotWithLocalState(
                  1L, 1L, SavepointType.savepoint(SavepointFormatType.CANONICAL))
              .getJobManagerOwnedState();
      OperatorSnapshotUtil.writeStateHandle(snapshot, Path.of(args[0]).toString());
    }
  }

  /** The operator as the job runs it, keyed by user, on the given backend. */
  static KeyedTwoInputStreamOperatorTestHarness<
          String, SourcedEvent, BroadcastInput, Recommendation>
      harness(StateBackend backend) throws Exception {
    return OperatorHarness.of(SETTINGS, backend);
  }
}
