package org.interesttracker.replay;

import java.util.function.LongSupplier;

/**
 * Spaces sends to a target rate. Each send has a due time counted from the first one, so short
 * stalls are caught up and the average rate stays on target over the whole replay.
 */
final class Pacer {
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final double eventsPerSecond;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private long startNanos;
  private long sent;

  /** A pacer on the system clock; a rate of 0 never waits. */
  Pacer(double eventsPerSecond) {
    this(eventsPerSecond, System::nanoTime, Pacer::sleep);
  }

  Pacer(double eventsPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
    this.eventsPerSecond = eventsPerSecond;
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
  }

  /** Waits until the next send is due. */
  void awaitNext() throws InterruptedException {
    if (eventsPerSecond == ReplaySettings.AS_FAST_AS_POSSIBLE) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (sent == 0) {
      startNanos = now;
    }
    long due = startNanos + (long) (sent * 1e9 / eventsPerSecond);
    sent++;
    if (due > now) {
      sleeper.sleepNanos(due - now);
    }
  }

  private static void sleep(long nanos) throws InterruptedException {
    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
  }
}
