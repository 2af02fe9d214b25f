package org.interesttracker.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialDecayTest {
  private static final Duration ONE_HOUR = Duration.ofHours(1);
  private static final long HOUR_MS = ONE_HOUR.toMillis();

  @Test
  void halvesEveryHalfLife() {
    assertThat(ExponentialDecay.decay(8.0, 0, HOUR_MS, ONE_HOUR)).isCloseTo(4.0, within(1e-12));
    assertThat(ExponentialDecay.decay(8.0, 0, 3 * HOUR_MS, ONE_HOUR)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void keepsStrengthWhenNoTimePasses() {
    assertThat(ExponentialDecay.decay(3.5, 1000, 1000, ONE_HOUR)).isEqualTo(3.5);
  }

  @Test
  void composesLikeOneStep() {
    double inTwoSteps =
        ExponentialDecay.decay(
            ExponentialDecay.decay(5.0, 0, 1234, ONE_HOUR), 1234, 7_000_000, ONE_HOUR);
    assertThat(inTwoSteps)
        .isCloseTo(ExponentialDecay.decay(5.0, 0, 7_000_000, ONE_HOUR), within(1e-12));
  }

  @Test
  void refusesToDecayBackwards() {
    assertThatThrownBy(() -> ExponentialDecay.decay(1.0, 10, 5, ONE_HOUR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backwards");
  }
}
