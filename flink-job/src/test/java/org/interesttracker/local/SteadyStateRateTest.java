package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class SteadyStateRateTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void leavesOutASlowStartAndATailAndMeasuresTheRateBetween() {
    SteadyStateRate rate = new SteadyStateRate();
    long nanos = 0;
    // Start-up: the first 20,000 outputs at 1,000 a second; then 80,000 at 10,000 a second.
    for (int i = 0; i < 20_000; i++) {
      rate.read(nanos += SECOND / 1_000);
    }
    for (int i = 0; i < 80_000; i++) {
      rate.read(nanos += SECOND / 10_000);
    }

    assertThat(rate.perSecond()).isCloseTo(10_000.0, offset(1.0));
  }

  @Test
  void saysNothingForARunTooShortToTell() {
    SteadyStateRate rate = new SteadyStateRate();
    for (int i = 0; i < 100; i++) {
      rate.read(i * SECOND);
    }

    assertThat(rate.perSecond()).isNull();
  }
}
