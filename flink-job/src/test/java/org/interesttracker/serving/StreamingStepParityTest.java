package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java serving path (per-user caches in primitive arrays, batched ONNX Runtime steps, rebuild
 * after a late event) reproduces the PyTorch reference after every event of the golden streams,
 * within the export's tolerance (1e-4): while the window slides, after a late event, for a first
 * event with unknown tokens.
 */
class StreamingStepParityTest {
  private static GoldenStreams golden;
  private static StreamingStepManifest manifest;

  @BeforeAll
  static void readFixture() throws IOException {
    golden = GoldenStreams.read();
    manifest = StreamingStepManifest.read(GoldenStreams.DIRECTORY);
    assertThat(golden.tolerance()).isPositive().isLessThanOrEqualTo(1e-4);
    assertThat(golden.streams()).hasSize(3);
    assertThat(golden.streams().stream().flatMap(s -> s.steps().stream()))
        .anyMatch(GoldenStreams.Step::late);
  }

  @Test
  void allStreamsSteppedTogetherInOneBatchMatchTheReferenceAtEveryEvent() throws Exception {
    List<GoldenStreams.Stream> streams = golden.streams();
    List<StreamingUserCache> users = new ArrayList<>();
    streams.forEach(stream -> users.add(new StreamingUserCache(manifest)));
    int longest = streams.stream().mapToInt(s -> s.steps().size()).max().orElseThrow();
    try (StreamingStepModel model = StreamingStepModel.open(manifest)) {
      StreamingInterestServing serving = new StreamingInterestServing(model, streams.size());
      for (int tick = 0; tick < longest; tick++) {
        List<StreamingUserCache> active = new ArrayList<>();
        List<GoldenStreams.Step> steps = new ArrayList<>();
        for (int s = 0; s < streams.size(); s++) {
          if (tick < streams.get(s).steps().size()) {
            active.add(users.get(s));
            steps.add(streams.get(s).steps().get(tick));
          }
        }
        StreamingStepOutputs outputs =
            serving.process(active, steps.stream().map(GoldenStreams.Step::event).toList());
        for (int row = 0; row < steps.size(); row++) {
          assertMatches(outputs, row, steps.get(row), "tick " + tick + " row " + row);
        }
      }
    }
  }

  @Test
  void eachStreamAloneAtBatchOneMatchesTheReference() throws Exception {
    try (StreamingStepModel model = StreamingStepModel.open(manifest)) {
      StreamingInterestServing serving = new StreamingInterestServing(model, 1);
      for (GoldenStreams.Stream stream : golden.streams()) {
        StreamingUserCache user = new StreamingUserCache(manifest);
        for (int i = 0; i < stream.steps().size(); i++) {
          GoldenStreams.Step step = stream.steps().get(i);
          StreamingStepOutputs outputs = serving.process(List.of(user), List.of(step.event()));
          assertMatches(outputs, 0, step, stream.name() + " step " + i);
        }
        assertThat(user.cachedVectors())
            .isEqualTo(Math.min(stream.steps().size(), manifest.cachedEvents()));
      }
    }
  }

  @Test
  void aUserStateWrittenAndReadBackContinuesTheStreamExactly() throws Exception {
    GoldenStreams.Stream sliding = golden.streams().get(0);
    int half = sliding.steps().size() / 2;
    try (StreamingStepModel model = StreamingStepModel.open(manifest)) {
      StreamingInterestServing serving = new StreamingInterestServing(model, 1);
      StreamingUserCache user = new StreamingUserCache(manifest);
      for (GoldenStreams.Step step : sliding.steps().subList(0, half)) {
        serving.process(List.of(user), List.of(step.event()));
      }
      ByteBuffer bytes = ByteBuffer.allocate(user.serializedBytes()).order(ByteOrder.LITTLE_ENDIAN);
      user.writeTo(bytes);
      assertThat(bytes.remaining()).isZero();
      assertThat(user.serializedBytes())
          .isEqualTo(
              8 + user.events() * 14 + user.cachedVectors() * manifest.cacheDim() * Float.BYTES);
      StreamingUserCache restored = StreamingUserCache.readFrom(bytes.flip(), manifest);
      for (int i = half; i < sliding.steps().size(); i++) {
        GoldenStreams.Step step = sliding.steps().get(i);
        StreamingStepOutputs outputs = serving.process(List.of(restored), List.of(step.event()));
        assertMatches(outputs, 0, step, "restored step " + i);
      }
    }
  }

  @Test
  void aLateEventOlderThanEveryKeptEventIsRefused() throws Exception {
    GoldenStreams.Stream sliding = golden.streams().get(0);
    try (StreamingStepModel model = StreamingStepModel.open(manifest)) {
      StreamingInterestServing serving = new StreamingInterestServing(model, 1);
      StreamingUserCache user = new StreamingUserCache(manifest);
      for (GoldenStreams.Step step : sliding.steps()) {
        serving.process(List.of(user), List.of(step.event()));
      }
      StreamingEvent ancient = new StreamingEvent(2, 2, 2, sliding.steps().get(0).event().timeMs());
      assertThatThrownBy(() -> serving.process(List.of(user), List.of(ancient)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("older than the kept history");
    }
  }

  @Test
  void aManifestOfAnotherContractVersionIsRefused(@TempDir Path directory) throws IOException {
    for (String file : new String[] {"manifest.json", "step.onnx"}) {
      Files.copy(GoldenStreams.DIRECTORY.resolve(file), directory.resolve(file));
    }
    Path manifestFile = directory.resolve("manifest.json");
    Files.writeString(
        manifestFile,
        Files.readString(manifestFile)
            .replace("\"contract_version\": 1", "\"contract_version\": 2"));
    assertThatThrownBy(() -> StreamingStepManifest.read(directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("version 2")
        .hasMessageContaining("implements streaming-step version 1");
  }

  private static void assertMatches(
      StreamingStepOutputs outputs, int row, GoldenStreams.Step step, String where) {
    double tolerance = golden.tolerance();
    int queries = outputs.queries();
    assertClose(
        slice(outputs.newStates(), outputs.newStateOffset(row), outputs.cacheDim()),
        step.newState(),
        tolerance,
        where + " new_state");
    assertClose(
        slice(outputs.interests(), outputs.interestOffset(row, 0), queries * outputs.dim()),
        step.interests(),
        tolerance,
        where + " interests");
    assertClose(
        slice(
            outputs.attention(),
            outputs.attentionOffset(row, 0),
            queries * outputs.historyLength()),
        step.attention(),
        tolerance,
        where + " attention");
    assertClose(
        slice(outputs.popularityWeights(), row * queries, queries),
        step.popularityWeight(),
        tolerance,
        where + " popularity_weight");
  }

  private static float[] slice(float[] values, int from, int count) {
    return Arrays.copyOfRange(values, from, from + count);
  }

  private static void assertClose(float[] actual, float[] expected, double tolerance, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .as("%s [%d]", what, i)
          .isCloseTo(expected[i], offset(tolerance));
    }
  }
}
