package org.interesttracker.cluster;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A figure of the soak that must not grow: the straight line fitted by least squares through its
 * samples may rise over the soak by at most {@code share} of the figure's mean plus {@code floor}.
 * A leak, a growing backlog or a state that keeps what it should drop shows as a rise; noise around
 * a flat level does not move the fitted line much.
 */
record FlatFigure(
    String name, String unit, ToDoubleFunction<SoakSample> value, double share, double floor) {

  /**
   * @param mean the figure's mean over the samples
   * @param rise how much the fitted line rises from the first sample to the last
   * @param allowed the most it may rise
   */
  record Result(String figure, String unit, double mean, double rise, double allowed) {
    boolean isFlat() {
      return rise <= allowed;
    }
  }

  /** Judges the samples that have this figure; latency has none in a sample that read nothing. */
  Result judge(List<SoakSample> samples) {
    List<SoakSample> measured =
        samples.stream().filter(sample -> Double.isFinite(value.applyAsDouble(sample))).toList();
    double[] x = measured.stream().mapToDouble(SoakSample::seconds).toArray();
    double[] y = measured.stream().mapToDouble(value).toArray();
    double meanX = mean(x);
    double meanY = mean(y);
    double covariance = 0;
    double variance = 0;
    for (int i = 0; i < x.length; i++) {
      covariance += (x[i] - meanX) * (y[i] - meanY);
      variance += (x[i] - meanX) * (x[i] - meanX);
    }
    double slope = variance == 0 ? 0 : covariance / variance;
    double rise = slope * (x[x.length - 1] - x[0]);
    return new Result(name, unit, meanY, rise, share * Math.abs(meanY) + floor);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }
}
