package org.interesttracker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.ControlAction;
import org.interesttracker.avro.ControlRequest;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.OperationKind;
import org.interesttracker.avro.OperationsRecord;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.VersionQuality;
import org.interesttracker.lifecycle.CanaryShare;
import org.interesttracker.serde.AvroCodec;
import org.interesttracker.testing.ControlRequests;
import org.interesttracker.testing.InteractionEvents;
import org.interesttracker.testing.ModelVariants;
import org.interesttracker.testing.OutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model's life in the keyed operator, driven through its control input: a version published,
 * checked and promoted between events, each output what a sequential pass with its version
 * computes; broken candidates refused while the live version serves on; a canary on the hashed
 * share of users; rollback; a restore serving what was served; a user forgotten, and forgotten
 * again when a restore replays the request.
 */
class ModelLifecycleOperatorTest {
  private static final String B = "streaming-variant-b";
  private static final JobSettings SETTINGS =
      JobSettings.builder()
          .livePopularity(false)
          .bootstrapServers("unused:9092")
          .stateTtl(Duration.ofDays(1))
          .bundleSize(1)
          .build();
  private static final AvroCodec<OperationsRecord> OPERATIONS =
      AvroCodec.of(OperationsRecord.class);

  @TempDir static Path models;
  private static Path modelB;

  private KeyedTwoInputStreamOperatorTestHarness<
          String, SourcedEvent, BroadcastInput, Recommendation>
      harness;

  @BeforeAll
  static void writeModelB() throws IOException {
    modelB = ModelVariants.withoutPopularity(models.resolve("b"), B);
  }

  @BeforeEach
  void open() throws Exception {
    harness = newHarness();
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void aVersionPromotedBetweenEventsServesEveryLaterEventAsASequentialPassWithItWould()
      throws Exception {
    List<InteractionEvent> events = InteractionEvents.range(0, 120);
    String a = SETTINGS.loadModel().version();
    events.subList(0, 40).forEach(this::process);
    control(ControlRequests.publish(modelB, B, 0.0));
    events.subList(40, 80).forEach(this::process);
    control(ControlRequests.of(ControlAction.PROMOTE, B));
    events.subList(80, 120).forEach(this::process);

    List<Recommendation> outputs = harness.extractOutputValues();
    assertThat(outputs.subList(0, 80)).allMatch(r -> r.getModelVersion().equals(a));
    assertThat(outputs.subList(80, 120)).allMatch(r -> r.getModelVersion().equals(B));
    List<String> withA = comparable(OutputTopic.RECOMMENDATIONS.expected().apply(SETTINGS, events));
    List<String> withB =
        comparable(OutputTopic.RECOMMENDATIONS.expected().apply(settingsOf(modelB), events));
    assertThat(withA).isNotEqualTo(withB);
    List<String> expected = new ArrayList<>(withA.subList(0, 80));
    expected.addAll(withB.subList(80, 120));
    assertThat(comparable(outputs)).isEqualTo(expected);
    assertThat(operations())
        .extracting(OperationsRecord::getKind, OperationsRecord::getLiveVersion)
        .containsExactly(
            tuple(OperationKind.MODEL_ACCEPTED, a), tuple(OperationKind.MODEL_PROMOTED, B));
  }

  @Test
  void aBundleRebuildsItsShareOfUsersForTheNewVersionAndServesTheOthersAsBefore() throws Exception {
    harness.close();
    harness =
        newHarness(
            JobSettings.builder()
                .livePopularity(false)
                .bootstrapServers("unused:9092")
                .bundleSize(64)
                .switchRebuildsPerBundle(3)
                .build());
    harness.open();
    String a = SETTINGS.loadModel().version();
    List<InteractionEvent> events = InteractionEvents.range(0, 40);
    events.subList(0, 20).forEach(this::process);
    control(ControlRequests.publish(modelB, B, 0.0));
    control(ControlRequests.of(ControlAction.PROMOTE, B));
    // Two bundles of the 20 users, each going at the watermark.
    events.subList(20, 30).forEach(this::process);
    harness.processBothWatermarks(new Watermark(events.get(29).getTimestamp()));
    events.subList(30, 40).forEach(this::process);
    harness.processBothWatermarks(new Watermark(events.get(39).getTimestamp()));

    List<Recommendation> outputs = harness.extractOutputValues();
    assertThat(outputs.subList(20, 30)).filteredOn(r -> r.getModelVersion().equals(B)).hasSize(3);
    assertThat(outputs.subList(30, 40)).filteredOn(r -> r.getModelVersion().equals(B)).hasSize(3);
    assertThat(outputs.subList(20, 40)).filteredOn(r -> r.getModelVersion().equals(a)).hasSize(14);
  }

  static Stream<Arguments> brokenCandidates() {
    return Stream.of(
        Arguments.of("unknown contract", "contract streaming-step version 99"),
        Arguments.of(
            "wrong golden stream", "golden stream 'the window slides', event 2: new_state"),
        Arguments.of("truncated graph", "ONNX Runtime cannot load the graph"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenCandidates")
  void aBrokenCandidateIsRefusedAndTheLiveVersionServesOn(String kind, String reason)
      throws Exception {
    Path broken = models.resolve(kind.replace(' ', '-'));
    String version = "broken-" + kind.replace(' ', '-');
    switch (kind) {
      case "unknown contract" -> ModelVariants.ofUnknownContract(broken, version);
      case "wrong golden stream" -> ModelVariants.withWrongGoldenStream(broken, version);
      default -> ModelVariants.withTruncatedGraph(broken, version);
    }
    List<InteractionEvent> events = InteractionEvents.range(0, 40);
    events.subList(0, 20).forEach(this::process);
    control(ControlRequests.publish(broken, version, 1.0));
    events.subList(20, 40).forEach(this::process);

    String a = SETTINGS.loadModel().version();
    OperationsRecord refusal = operations().get(0);
    assertThat(refusal.getKind()).isEqualTo(OperationKind.MODEL_REFUSED);
    assertThat(refusal.getDetail()).contains(reason);
    assertThat(refusal.getLiveVersion()).isEqualTo(a);
    assertThat(refusal.getCandidateVersion()).isNull();
    assertThat(harness.extractOutputValues())
        .hasSize(40)
        .allMatch(r -> r.getModelVersion().equals(a));
    assertThat(comparable(harness.extractOutputValues()))
        .isEqualTo(comparable(OutputTopic.RECOMMENDATIONS.expected().apply(SETTINGS, events)));
  }

  @Test
  void aCanaryServesTheUsersWhoseIdHashesIntoItsShareAndKeepsQualityPerVersion() throws Exception {
    String a = SETTINGS.loadModel().version();
    control(ControlRequests.publish(modelB, B, 0.2));
    List<InteractionEvent> events = manyUsers(500, 2);
    events.forEach(this::process);

    List<Recommendation> outputs = harness.extractOutputValues();
    assertThat(outputs)
        .allSatisfy(
            r ->
                assertThat(r.getModelVersion())
                    .isEqualTo(CanaryShare.includes(r.getUserId(), 0.2) ? B : a));
    long canaryUsers =
        outputs.stream()
            .filter(r -> r.getModelVersion().equals(B))
            .map(Recommendation::getUserId)
            .distinct()
            .count();
    assertThat(canaryUsers).isBetween(70L, 130L);

    control(ControlRequests.of(ControlAction.STATUS, null));
    OperationsRecord status = operations().get(1);
    assertThat(status.getKind()).isEqualTo(OperationKind.STATUS);
    assertThat(status.getCandidateVersion()).isEqualTo(B);
    assertThat(status.getCanaryShare()).isEqualTo(0.2);
    assertThat(status.getQuality())
        .extracting(VersionQuality::getModelVersion, VersionQuality::getEvaluated)
        .containsExactlyInAnyOrder(tuple(a, 500L - canaryUsers), tuple(B, canaryUsers));
    // Each scored recommendation was a first event's, the scene's popular items the user had not
    // seen: exactly the popularity baseline's at that event.
    assertThat(status.getQuality())
        .allSatisfy(
            quality -> {
              assertThat(quality.getPopularityHitRate()).isEqualTo(quality.getHitRate());
              assertThat(quality.getPopularityNdcg()).isEqualTo(quality.getNdcg());
            });
    assertThat(status.getQuality()).anySatisfy(q -> assertThat(q.getHitRate()).isPositive());
  }

  @Test
  void rollbackWithdrawsACandidateOrReturnsToTheVersionBeforeThePromotion() throws Exception {
    String a = SETTINGS.loadModel().version();
    control(ControlRequests.publish(modelB, B, 1.0));
    control(ControlRequests.of(ControlAction.ROLLBACK, null));
    control(ControlRequests.publish(modelB, B, 0.0));
    control(ControlRequests.of(ControlAction.PROMOTE, B));
    control(ControlRequests.of(ControlAction.ROLLBACK, null));
    control(ControlRequests.of(ControlAction.ROLLBACK, null));
    process(InteractionEvents.range(0, 1).get(0));

    assertThat(operations())
        .extracting(OperationsRecord::getKind, OperationsRecord::getLiveVersion)
        .containsExactly(
            tuple(OperationKind.MODEL_ACCEPTED, a),
            tuple(OperationKind.MODEL_ROLLED_BACK, a),
            tuple(OperationKind.MODEL_ACCEPTED, a),
            tuple(OperationKind.MODEL_PROMOTED, B),
            tuple(OperationKind.MODEL_ROLLED_BACK, a),
            tuple(OperationKind.REQUEST_REFUSED, a));
    assertThat(operations().get(1).getCandidateVersion()).isNull();
    assertThat(operations().get(3).getPreviousVersion()).isEqualTo(a);
    assertThat(operations().get(5).getDetail()).contains("nothing to roll back");
    assertThat(harness.extractOutputValues().get(0).getModelVersion()).isEqualTo(a);
  }

  @Test
  void aRestoreServesTheVersionsItServedWithoutBeingToldAgain() throws Exception {
    String a = SETTINGS.loadModel().version();
    control(ControlRequests.publish(modelB, B, 0.0));
    control(ControlRequests.of(ControlAction.PROMOTE, B));
    control(ControlRequests.publish(modelB, B, 0.0));
    OperationsRecord beforeRestore = operations().get(2);
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    harness.close();

    harness = newHarness();
    harness.initializeState(snapshot);
    harness.open();
    List<InteractionEvent> events = InteractionEvents.range(0, 20);
    events.forEach(this::process);
    control(ControlRequests.of(ControlAction.ROLLBACK, null));
    process(InteractionEvents.range(20, 1).get(0));

    assertThat(beforeRestore.getKind()).isEqualTo(OperationKind.MODEL_REFUSED);
    List<Recommendation> outputs = harness.extractOutputValues();
    assertThat(outputs.subList(0, 20)).allMatch(r -> r.getModelVersion().equals(B));
    assertThat(outputs.get(20).getModelVersion()).isEqualTo(a);
    assertThat(operations().get(0).getKind()).isEqualTo(OperationKind.MODEL_ROLLED_BACK);
  }

  @Test
  void aForgottenUserLeavesNoStateEntryNorTimerAndComesBackAsANewUser() throws Exception {
    List<InteractionEvent> events = InteractionEvents.range(0, 40);
    events.forEach(this::process);
    int users = harness.numKeyedStateEntries();
    OperatorSubtaskState beforeTheRequest = harness.snapshot(1L, 1L);

    ControlRequest forget = ControlRequests.forget("user-3");
    control(forget);
    assertForgotten(users, "user-3");
    process(event("again", "user-3"));
    assertThat(last().getColdStart()).isEqualTo(ColdStart.NEW_USER);

    // A restore from a checkpoint before the request replays it, and erases again.
    harness.close();
    harness = newHarness();
    harness.initializeState(beforeTheRequest);
    harness.open();
    assertThat(harness.numKeyedStateEntries()).isEqualTo(users);
    control(forget);
    assertForgotten(users, "user-3");
  }

  @Test
  void aForgetRequestWithoutAUserIsRefused() throws Exception {
    control(ControlRequests.forget(""));

    assertThat(operations())
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.getKind()).isEqualTo(OperationKind.REQUEST_REFUSED);
              assertThat(record.getDetail()).contains("needs a user_id");
            });
  }

  private void assertForgotten(int usersBefore, String userId) {
    assertThat(harness.numKeyedStateEntries()).isEqualTo(usersBefore - 1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(usersBefore - 1);
    List<OutboundRecord> tombstones =
        outbound().stream().filter(record -> record.value == null).toList();
    assertThat(tombstones)
        .extracting(record -> record.topic)
        .containsExactly(SETTINGS.profileTopic(), SETTINGS.recommendationTopic());
    assertThat(tombstones)
        .allSatisfy(
            record -> assertThat(new String(record.key, StandardCharsets.UTF_8)).isEqualTo(userId));
    OperationsRecord audit = operations().get(0);
    assertThat(audit.getKind()).isEqualTo(OperationKind.USER_FORGOTTEN);
    assertThat(audit.getUserId()).isEqualTo(userId);
    assertThat(audit.getDetail()).contains("erased the user's state");
    harness.getSideOutput(InterestUpdateOperator.OUTBOUND).clear();
  }

  private KeyedTwoInputStreamOperatorTestHarness<
          String, SourcedEvent, BroadcastInput, Recommendation>
      newHarness() throws Exception {
    return newHarness(SETTINGS);
  }

  private static KeyedTwoInputStreamOperatorTestHarness<
          String, SourcedEvent, BroadcastInput, Recommendation>
      newHarness(JobSettings settings) throws Exception {
    return OperatorHarness.of(settings, new HashMapStateBackend());
  }

  private static JobSettings settingsOf(Path modelDir) {
    return JobSettings.builder()
        .livePopularity(false)
        .bootstrapServers("unused:9092")
        .stateTtl(Duration.ofDays(1))
        .bundleSize(1)
        .modelDir(modelDir.toString())
        .build();
  }

  private void process(InteractionEvent event) {
    try {
      harness.processElement1(new SourcedEvent(event, "interactions", 0, 0L), event.getTimestamp());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void control(ControlRequest request) throws Exception {
    harness.processElement2(BroadcastInput.of(request), 0L);
  }

  private List<OutboundRecord> outbound() {
    var records = harness.getSideOutput(InterestUpdateOperator.OUTBOUND);
    return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
  }

  /** The operations records sent since the harness opened or was last cleared. */
  private List<OperationsRecord> operations() {
    return outbound().stream()
        .filter(record -> record.topic.equals(SETTINGS.operationsTopic()))
        .map(ModelLifecycleOperatorTest::decode)
        .toList();
  }

  private static OperationsRecord decode(OutboundRecord record) {
    try {
      return OPERATIONS.decode(record.value);
    } catch (Exception e) {
      throw new IllegalStateException("an operations record does not decode", e);
    }
  }

  private Recommendation last() {
    List<Recommendation> outputs = harness.extractOutputValues();
    return outputs.get(outputs.size() - 1);
  }

  private static List<String> comparable(List<Recommendation> recommendations) {
    return recommendations.stream().map(OutputTopic.RECOMMENDATIONS.comparable()).toList();
  }

  /** {@code users} users with {@code each} events each, in turns. */
  private static List<InteractionEvent> manyUsers(int users, int each) {
    List<InteractionEvent> events = new ArrayList<>();
    for (int round = 0; round < each; round++) {
      for (int user = 0; user < users; user++) {
        events.add(
            InteractionEvent.newBuilder(event("u" + user + "-" + round, "canary-user-" + user))
                .setTimestamp(1_700_000_000_000L + round * 60_000L + user)
                .setItemId(String.valueOf(1 + (user * 7 + round) % 50))
                .build());
      }
    }
    return events;
  }

  private static InteractionEvent event(String id, String user) {
    return InteractionEvent.newBuilder(InteractionEvents.range(0, 1).get(0))
        .setEventId(id)
        .setUserId(user)
        .setTimestamp(1_800_000_000_000L)
        .build();
  }
}
