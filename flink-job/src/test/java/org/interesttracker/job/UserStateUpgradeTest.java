package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.testing.InteractionEvents;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released state snapshot ({@link UserStateSnapshots}) restores into the current release, on
 * both backends, and the job then carries on exactly as if it had never been upgraded.
 */
class UserStateUpgradeTest {
  private static final List<InteractionEvent> NEXT_EVENTS =
      InteractionEvents.range(UserStateSnapshots.EVENTS.size(), InteractionEvents.USERS);

  static Stream<Arguments> snapshotsAndBackends() throws Exception {
    List<Arguments> cases = new ArrayList<>();
    for (Path snapshot : snapshots()) {
      cases.add(Arguments.of(snapshot.getFileName().toString(), new HashMapStateBackend()));
      cases.add(Arguments.of(snapshot.getFileName().toString(), new EmbeddedRocksDBStateBackend()));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("snapshotsAndBackends")
  void restoresAReleasedSnapshotAndCarriesOnAsAnUninterruptedRun(
      String snapshot, StateBackend backend) throws Exception {
    try (var restored = UserStateSnapshots.harness(backend);
        var uninterrupted = UserStateSnapshots.harness(new HashMapStateBackend())) {
      restored.initializeState(
          OperatorSnapshotUtil.readStateHandle(snapshotDirectory().resolve(snapshot).toString()));
      restored.open();
      uninterrupted.open();
      process(uninterrupted, UserStateSnapshots.EVENTS);
      uninterrupted.getOutput().clear();
      uninterrupted.getSideOutput(InterestUpdateOperator.PROFILES).clear();

      // Re-deliveries of what the old release applied are still recognised.
      process(restored, UserStateSnapshots.EVENTS);
      assertThat(restored.extractOutputValues()).isEmpty();
      assertThat(restored.getSideOutput(DeadLetters.TAG)).isNull();

      process(restored, NEXT_EVENTS);
      process(uninterrupted, NEXT_EVENTS);
      assertThat(recommendations(restored)).isEqualTo(recommendations(uninterrupted));
      assertThat(profiles(restored)).isEqualTo(profiles(uninterrupted));
      assertThat(profiles(restored)).allMatch(profile -> profile.contains("history_length\": 4"));

      // The idle-expiry timers came along too.
      long lastEvent = NEXT_EVENTS.get(NEXT_EVENTS.size() - 1).getTimestamp();
      restored.processBothWatermarks(new Watermark(lastEvent + UserStateSnapshots.TTL.toMillis()));
      assertThat(restored.numEventTimeTimers()).isZero();
    }
  }

  private static void process(
      KeyedTwoInputStreamOperatorTestHarness<String, SourcedEvent, BroadcastInput, Recommendation>
          harness,
      List<InteractionEvent> events)
      throws Exception {
    for (InteractionEvent event : events) {
      harness.processElement1(new SourcedEvent(event, "interactions", 0, 0L), event.getTimestamp());
    }
  }

  private static List<String> recommendations(
      KeyedTwoInputStreamOperatorTestHarness<String, SourcedEvent, BroadcastInput, Recommendation>
          harness) {
    return harness.extractOutputValues().stream()
        .map(r -> Recommendation.newBuilder(r).setEmitTime(0L).build().toString())
        .toList();
  }

  private static List<String> profiles(
      KeyedTwoInputStreamOperatorTestHarness<String, SourcedEvent, BroadcastInput, Recommendation>
          harness) {
    return harness.getSideOutput(InterestUpdateOperator.PROFILES).stream()
        .map(StreamRecord::getValue)
        .map(p -> InterestProfile.newBuilder(p).setEmitTime(0L).build().toString())
        .toList();
  }

  private static List<Path> snapshots() throws Exception {
    try (Stream<Path> files = Files.list(snapshotDirectory())) {
      List<Path> snapshots =
          files.filter(f -> f.toString().endsWith(".snapshot")).sorted().toList();
      assertThat(snapshots).isNotEmpty();
      return snapshots;
    }
  }

  private static Path snapshotDirectory() throws URISyntaxException {
    return Path.of(UserStateUpgradeTest.class.getResource("/state-snapshots").toURI());
  }
}
