package org.interesttracker.interest;

import java.time.Duration;

/**
 * Interest strength that halves every half-life: s(t) = s(t0) * 2^(-(t - t0) / halfLife). Decay is
 * linear in the contributions, so a strength can absorb events in any order and still equal the
 * closed form sum of w_i * 2^(-(t - t_i) / halfLife).
 */
public final class ExponentialDecay {
  private ExponentialDecay() {}

  /** The strength {@code strength}, known at {@code fromMs}, seen at {@code toMs >= fromMs}. */
  public static double decay(double strength, long fromMs, long toMs, Duration halfLife) {
    if (toMs < fromMs) {
      throw new IllegalArgumentException(
          "cannot decay backwards in time: " + fromMs + " > " + toMs);
    }
    return strength * Math.pow(2.0, -(double) (toMs - fromMs) / halfLife.toMillis());
  }
}
