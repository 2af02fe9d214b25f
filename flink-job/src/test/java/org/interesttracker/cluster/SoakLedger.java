package org.interesttracker.cluster;

import java.util.Arrays;
import java.util.BitSet;
import org.interesttracker.local.LatencyPercentiles;

/**
 * What the soak sent and what came back, by event number: when each event was handed to Kafka,
 * whether its recommendation was read, how many were read more than once, and the latencies of the
 * current sampling window.
 */
final class SoakLedger {
  private long[] sentNanos = new long[1 << 16];
  private final BitSet answered = new BitSet();
  private long sent;
  private long answeredCount;
  private long repeats;
  private long[] windowNanos = new long[1 << 12];
  private int windowCount;

  synchronized void sent(long number, long nanos) {
    if (number >= sentNanos.length) {
      sentNanos = Arrays.copyOf(sentNanos, (int) Math.max(number + 1, 2L * sentNanos.length));
    }
    sentNanos[(int) number] = nanos;
    sent++;
  }

  /** The recommendation of event {@code number} was read at {@code nanos}. */
  synchronized void answered(long number, long nanos) {
    if (answered.get((int) number)) {
      repeats++;
      return;
    }
    answered.set((int) number);
    answeredCount++;
    if (windowCount == windowNanos.length) {
      windowNanos = Arrays.copyOf(windowNanos, 2 * windowCount);
    }
    windowNanos[windowCount++] = nanos - sentNanos[(int) number];
  }

  /** Send-to-read latencies of the recommendations read since the last call. */
  synchronized LatencyPercentiles takeWindow() {
    LatencyPercentiles window = LatencyPercentiles.ofNanos(Arrays.copyOf(windowNanos, windowCount));
    windowCount = 0;
    return window;
  }

  synchronized long sent() {
    return sent;
  }

  /** Events whose recommendation was read, each counted once. */
  synchronized long answered() {
    return answeredCount;
  }

  /** Recommendations read for an event whose recommendation had been read already. */
  synchronized long repeats() {
    return repeats;
  }
}
