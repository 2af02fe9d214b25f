package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
  private static final long MS = 1_000_000;

  @Test
  void percentilesUseTheNearestRank() {
    LatencyRecorder recorder = new LatencyRecorder();
    for (int i = 1; i <= 100; i++) {
      recorder.sent("e" + i, 0);
      recorder.received("e" + i, i * MS);
    }

    assertThat(recorder.percentiles()).isEqualTo(new LatencyPercentiles(100, 50.0, 95.0, 99.0));
  }

  @Test
  void measuresFromTheFirstSendAndOnlyTheFirstOutputOfAnEvent() {
    LatencyRecorder recorder = new LatencyRecorder();
    recorder.sent("e1", 10 * MS);
    recorder.sent("e1", 20 * MS); // a re-send keeps the original send time

    recorder.received("e1", 30 * MS);
    recorder.received("e1", 90 * MS); // a second output of the same event is not measured again
    recorder.received("never-sent", 50 * MS);

    assertThat(recorder.percentiles()).isEqualTo(new LatencyPercentiles(1, 20.0, 20.0, 20.0));
  }

  @Test
  void reportsNoPercentilesWithoutSamples() {
    assertThat(new LatencyRecorder().percentiles())
        .isEqualTo(new LatencyPercentiles(0, null, null, null));
  }
}
