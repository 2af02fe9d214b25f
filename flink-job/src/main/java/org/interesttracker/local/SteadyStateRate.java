package org.interesttracker.local;

import java.util.Arrays;

/**
 * The rate of a stream of outputs in its steady state: outputs per second between the moments the
 * first {@value #START_SHARE} and the first {@value #END_SHARE} of them were read, which leaves out
 * start-up and JIT compilation at one end and the draining tail at the other.
 */
public final class SteadyStateRate {
  private static final double START_SHARE = 0.3;
  private static final double END_SHARE = 0.95;

  /** One read time kept per this many outputs: a few KB for a million. */
  private static final int SAMPLE_EVERY = 64;

  private long[] sampledNanos = new long[1024];
  private long count;

  /** One output was read at {@code nanos} ({@link System#nanoTime()}). */
  public synchronized void read(long nanos) {
    if (count % SAMPLE_EVERY == 0) {
      int sample = (int) (count / SAMPLE_EVERY);
      if (sample == sampledNanos.length) {
        sampledNanos = Arrays.copyOf(sampledNanos, sample * 2);
      }
      sampledNanos[sample] = nanos;
    }
    count++;
  }

  /** Outputs per second in the window, or null with too few outputs to tell. */
  public synchronized Double perSecond() {
    int samples = (int) ((count + SAMPLE_EVERY - 1) / SAMPLE_EVERY);
    int start = (int) (samples * START_SHARE);
    int end = (int) (samples * END_SHARE);
    if (end - start < 2) {
      return null;
    }
    long nanos = sampledNanos[end] - sampledNanos[start];
    return nanos <= 0 ? null : (end - start) * (double) SAMPLE_EVERY / (nanos / 1e9);
  }
}
