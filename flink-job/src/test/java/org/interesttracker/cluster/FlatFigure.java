package org.interesttracker.cluster;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A figure of the soak that must not grow: the straight line fitted by least squares through its
 * samples may rise over the soak by at most {@code share} of the figure's mean plus {@code floor}.
 * A leak, a growing backlog or a state that keeps what it should drop shows as a rise; noise around
 * a flat level does not move the fitted line much. The line is fitted through the means of each two
 * consecutive samples: a figure that alternates between two levels from one sample to the next (the
 * size of the latest checkpoint does, incremental checkpoints of RocksDB alternating between two
 * sizes while the bytes uploaded stay flat) would otherwise fit a slope set only by whether the
 * soak starts on the high level or the low one.
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
    double[] x = pairMeans(measured.stream().mapToDouble(SoakSample::seconds).toArray());
    double[] y = pairMeans(measured.stream().mapToDouble(value).toArray());
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

  /** The mean of each value and the one before it (the values themselves when there is one). */
  private static double[] pairMeans(double[] values) {
    if (values.length < 2) {
      return values;
    }
    double[] means = new double[values.length - 1];
    for (int i = 1; i < values.length; i++) {
      means[i - 1] = (values[i - 1] + values[i]) / 2;
    }
    return means;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }
}
