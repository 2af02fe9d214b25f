package org.interesttracker.bench;

import java.util.List;

/** The median: this machine is noisy, and a median of rounds is what the figures quote. */
final class Median {
  private Median() {}

  static double of(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
