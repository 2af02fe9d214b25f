package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A user's step outputs are bit for bit the same whichever other users share the model call and
 * wherever the user's row is: the job's outputs then do not depend on how it bundled events, and a
 * replay after a failure writes exactly what the first attempt wrote. For the default model, and
 * for the contract-2 fixture with rows requested at different ages.
 */
class StreamingStepBatchInvarianceTest {
  private static final long NOW_MS = 10_000_000L;

  static Stream<ModelBundle> models() {
    return Stream.of(
        DefaultModel.load(), ModelBundle.load(ModelFiles.of(DefaultModel.FIXTURE.toString()), 12));
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyRowOfABatchEqualsTheSameStepAlone(ModelBundle bundle) throws Exception {
    Random random = new Random(3);
    try (StreamingStepModel model = StreamingStepModel.open(bundle)) {
      List<StreamingUserCache> users = usersWithRandomHistories(bundle, model, random, 24);
      StreamingStepBatch alone = model.newBatch(1);
      int rowsCompared = 0;
      for (int size : new int[] {2, 3, 5, 7, 16, 24}) {
        StreamingStepBatch batch = model.newBatch(size);
        int first = random.nextInt(users.size() - size + 1);
        for (int row = 0; row < size; row++) {
          batch.add(users.get(first + row), event(bundle, first + row), requestAge(first + row));
        }
        StreamingStepOutputs together = model.run(batch);
        for (int row = 0; row < size; row++) {
          alone.clear();
          alone.add(users.get(first + row), event(bundle, first + row), requestAge(first + row));
          assertSameRow(together, row, model.run(alone), "batch of " + size + ", row " + row);
          rowsCompared++;
        }
      }
      assertThat(rowsCompared).isEqualTo(57);
    }
  }

  private static List<StreamingUserCache> usersWithRandomHistories(
      ModelBundle bundle, StreamingStepModel model, Random random, int count) throws Exception {
    StreamingInterestServing serving = new StreamingInterestServing(model, 1);
    List<StreamingUserCache> users = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StreamingUserCache user = new StreamingUserCache(bundle.step());
      int events = random.nextInt(2 * bundle.historyLength());
      for (int e = 0; e < events; e++) {
        serving.process(
            List.of(user),
            List.of(
                new StreamingEvent(
                    2 + random.nextInt(bundle.items().size() - 2),
                    2 + random.nextInt(bundle.scenes().size()),
                    2 + random.nextInt(bundle.eventTypes().size() - 2),
                    60_000L * e)));
      }
      users.add(user);
    }
    return users;
  }

  private static StreamingEvent event(ModelBundle bundle, int user) {
    return new StreamingEvent(2 + user % (bundle.items().size() - 2), 2, 3, NOW_MS);
  }

  /** At the event for half the users, up to a day later for the others. */
  private static float requestAge(int user) {
    return user % 2 == 0 ? 0f : 3_600f * user;
  }

  private static void assertSameRow(
      StreamingStepOutputs batch, int row, StreamingStepOutputs alone, String where) {
    int queries = batch.queries();
    assertThat(slice(batch.newStates(), row, batch.cacheDim()))
        .as(where + " new_state")
        .isEqualTo(alone.newStates());
    assertThat(slice(batch.interests(), row, queries * batch.dim()))
        .as(where + " interests")
        .isEqualTo(alone.interests());
    assertThat(slice(batch.attention(), row, queries * batch.historyLength()))
        .as(where + " attention")
        .isEqualTo(alone.attention());
    assertThat(slice(batch.popularityWeights(), row, queries))
        .as(where + " popularity_weight")
        .isEqualTo(alone.popularityWeights());
  }

  private static float[] slice(float[] values, int row, int width) {
    return Arrays.copyOfRange(values, row * width, (row + 1) * width);
  }
}
