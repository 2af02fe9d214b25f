package org.interesttracker.serving;

import java.util.List;

/**
 * Whether a loaded model reproduces the golden streams exported with it: each stream stepped in
 * Java, one event at a time from an empty state, must give the PyTorch reference's new state,
 * interests, attention and popularity weights after every event, within the export's tolerance. A
 * model that does not would serve numbers its training never produced.
 */
public final class GoldenStreamCheck {
  /** The parity tolerance of the streaming step contract; an export may only be stricter. */
  static final double MAX_TOLERANCE = 1e-4;

  private GoldenStreamCheck() {}

  /**
   * @throws ModelLoadException naming the stream, the event and the output that differ
   */
  public static void verify(ModelBundle bundle, GoldenStreams golden) {
    if (!(golden.tolerance() > 0 && golden.tolerance() <= MAX_TOLERANCE)) {
      throw new ModelLoadException(
          bundle.location()
              + ": the golden streams' tolerance is "
              + golden.tolerance()
              + ", but it must be positive and at most "
              + MAX_TOLERANCE);
    }
    if (golden.streams().stream().allMatch(stream -> stream.steps().isEmpty())) {
      throw new ModelLoadException(bundle.location() + ": the golden streams hold no event");
    }
    try (StreamingStepModel step = StreamingStepModel.open(bundle)) {
      StreamingInterestServing serving = new StreamingInterestServing(step, 1);
      for (GoldenStreams.Stream stream : golden.streams()) {
        StreamingUserCache user = new StreamingUserCache(bundle.step());
        for (int i = 0; i < stream.steps().size(); i++) {
          GoldenStreams.Step expected = stream.steps().get(i);
          StreamingStepOutputs outputs =
              serving.process(
                  List.of(user),
                  List.of(expected.event()),
                  new float[] {expected.requestAgeSeconds()});
          String where =
              bundle.location() + ": golden stream '" + stream.name() + "', event " + i + ": ";
          compare(where + "new_state", outputs.newStates(), expected.newState(), golden);
          compare(where + "interests", outputs.interests(), expected.interests(), golden);
          compare(where + "attention", outputs.attention(), expected.attention(), golden);
          compare(
              where + "popularity_weight",
              outputs.popularityWeights(),
              expected.popularityWeight(),
              golden);
        }
      }
    } catch (ModelLoadException e) {
      throw e;
    } catch (Exception e) {
      throw new ModelLoadException(
          bundle.location() + ": the golden streams cannot be stepped: " + e, e);
    }
  }

  /** Compares row 0 of a batch-1 output with the reference. */
  private static void compare(String what, float[] actual, float[] expected, GoldenStreams golden) {
    if (actual.length != expected.length) {
      throw new ModelLoadException(
          what + " has " + actual.length + " values, the reference " + expected.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(actual[i] - expected[i]) <= golden.tolerance())) {
        throw new ModelLoadException(
            what
                + "["
                + i
                + "] is "
                + actual[i]
                + " in Java and "
                + expected[i]
                + " in the reference, beyond the tolerance "
                + golden.tolerance());
      }
    }
  }
}
