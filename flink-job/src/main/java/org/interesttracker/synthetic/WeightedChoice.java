package org.interesttracker.synthetic;

import java.util.SplittableRandom;

/** Draws an index with probability proportional to its weight. */
final class WeightedChoice {

  private WeightedChoice() {}

  /** Draws from non-negative {@code weights} whose sum is positive. */
  static int draw(double[] weights, SplittableRandom random) {
    double total = 0;
    for (double weight : weights) {
      total += weight;
    }
    double target = random.nextDouble() * total;
    int last = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        last = i;
        target -= weights[i];
        if (target < 0) {
          return i;
        }
      }
    }
    return last; // only reached through rounding at the very top of the range
  }

  /** Draws from cumulative weights (non-decreasing, last one positive) by binary search. */
  static int drawCumulative(double[] cumulative, SplittableRandom random) {
    double target = random.nextDouble() * cumulative[cumulative.length - 1];
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (cumulative[middle] > target) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }
}
