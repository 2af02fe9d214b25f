package org.interesttracker.serving;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the streaming step's model time per event at batch 1 and 64 for an exported step
 * directory; prints the figures and asserts nothing (no timed unit test). Runs only when asked:
 *
 * <pre>
 * mvn -B -q -pl flink-job test -Dtest=StreamingStepTiming -Dstreaming.timing.model=STEP_DIR
 * </pre>
 *
 * Users start with full caches (L - 1 + W events each), every event is in time order, and the time
 * covers filling the batch from the caches, the ONNX Runtime call and appending the new vectors.
 */
class StreamingStepTiming {
  private static final int WARM_UP_EVENTS = 20_000;
  private static final int MEASURED_EVENTS = 100_000;

  @Test
  @EnabledIfSystemProperty(named = "streaming.timing.model", matches = ".+")
  void printModelTimePerEvent() throws Exception {
    StreamingStepManifest manifest =
        StreamingStepManifest.read(Path.of(System.getProperty("streaming.timing.model")));
    try (StreamingStepModel model = StreamingStepModel.open(manifest)) {
      for (int batch : new int[] {1, 64}) {
        StreamingInterestServing serving = new StreamingInterestServing(model, batch);
        Random random = new Random(batch);
        List<StreamingUserCache> users = new ArrayList<>();
        long[] clocks = new long[batch];
        for (int i = 0; i < batch; i++) {
          users.add(new StreamingUserCache(manifest));
          clocks[i] = 1_700_000_000_000L;
        }
        run(serving, users, clocks, random, manifest.keptEvents());
        run(serving, users, clocks, random, WARM_UP_EVENTS / batch);
        long started = System.nanoTime();
        int rounds = MEASURED_EVENTS / batch;
        run(serving, users, clocks, random, rounds);
        double micros = (System.nanoTime() - started) / 1e3 / (rounds * (double) batch);
        System.out.printf(
            "L=%d W=%d r=%d d=%d queries=%d batch=%d: %.1f us per event%n",
            manifest.historyLength(),
            manifest.encoderWindow(),
            manifest.cacheDim(),
            manifest.dim(),
            manifest.numQueries(),
            batch,
            micros);
      }
    }
  }

  private static void run(
      StreamingInterestServing serving,
      List<StreamingUserCache> users,
      long[] clocks,
      Random random,
      int rounds)
      throws Exception {
    List<StreamingEvent> events = new ArrayList<>(users.size());
    for (int round = 0; round < rounds; round++) {
      events.clear();
      for (int i = 0; i < users.size(); i++) {
        clocks[i] += 1_000L + random.nextInt(3_600_000);
        // Which tokens does not change the work; these exist in any vocabulary, the tiny fixture's
        // too.
        events.add(new StreamingEvent(2 + random.nextInt(20), 2, 3, clocks[i]));
      }
      serving.process(users, events);
    }
  }
}
