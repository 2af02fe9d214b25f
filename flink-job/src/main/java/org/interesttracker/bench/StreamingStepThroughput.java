package org.interesttracker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.StreamingEvent;
import org.interesttracker.serving.StreamingInterestServing;
import org.interesttracker.serving.StreamingStepManifest;
import org.interesttracker.serving.StreamingStepModel;
import org.interesttracker.serving.StreamingUserCache;

/**
 * The streaming model's per-event step alone, in ONNX Runtime Java: users start with full caches,
 * every event is in time order, and the time covers filling the batch from the caches, the model
 * call and appending the new vectors. The median of timed rounds after a warm-up.
 */
final class StreamingStepThroughput {
  private static final int WARM_UP_EVENTS = 20_000;
  private static final int EVENTS_PER_ROUND = 20_000;

  private StreamingStepThroughput() {}

  /** Events per second at {@code batch} users per model call. */
  static double eventsPerSecond(ModelBundle bundle, int batch, int rounds) throws Exception {
    StreamingStepManifest manifest = bundle.step();
    try (StreamingStepModel model = StreamingStepModel.open(bundle)) {
      StreamingInterestServing serving = new StreamingInterestServing(model, batch);
      Random random = new Random(batch);
      List<StreamingUserCache> users = new ArrayList<>();
      long[] clocks = new long[batch];
      for (int i = 0; i < batch; i++) {
        users.add(new StreamingUserCache(manifest));
        clocks[i] = 1_700_000_000_000L;
      }
      step(serving, users, clocks, random, manifest.keptEvents() + WARM_UP_EVENTS / batch);
      List<Double> rates = new ArrayList<>(rounds);
      int steps = Math.max(1, EVENTS_PER_ROUND / batch);
      for (int round = 0; round < rounds; round++) {
        long start = System.nanoTime();
        step(serving, users, clocks, random, steps);
        rates.add(steps * (double) batch / ((System.nanoTime() - start) / 1e9));
      }
      return Median.of(rates);
    }
  }

  /** Bytes of a user's model state once the history holds every event the model keeps. */
  static int fullCacheBytes(ModelBundle bundle) throws Exception {
    try (StreamingStepModel model = StreamingStepModel.open(bundle)) {
      StreamingInterestServing serving = new StreamingInterestServing(model, 1);
      List<StreamingUserCache> user = List.of(new StreamingUserCache(bundle.step()));
      step(
          serving,
          user,
          new long[] {1_700_000_000_000L},
          new Random(1),
          bundle.step().keptEvents());
      return user.get(0).serializedBytes();
    }
  }

  private static void step(
      StreamingInterestServing serving,
      List<StreamingUserCache> users,
      long[] clocks,
      Random random,
      int steps)
      throws Exception {
    List<StreamingEvent> events = new ArrayList<>(users.size());
    for (int round = 0; round < steps; round++) {
      events.clear();
      for (int i = 0; i < users.size(); i++) {
        clocks[i] += 1_000L + random.nextInt(3_600_000);
        // Which tokens does not change the work; these exist in any vocabulary.
        events.add(new StreamingEvent(2 + random.nextInt(20), 2, 3, clocks[i]));
      }
      serving.process(users, events);
    }
  }
}
