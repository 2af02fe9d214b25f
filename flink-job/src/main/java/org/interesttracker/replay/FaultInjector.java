package org.interesttracker.replay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.interesttracker.avro.InteractionEvent;

/**
 * Decides, after each valid event, whether to follow it with a duplicate and with a malformed
 * record. Every decision comes from one seeded random sequence drawn in a fixed order, so the same
 * log and seed inject the same faults at the same places.
 */
final class FaultInjector {
  /**
   * Duplicates repeat one of the last few events: a producer retry or an at-least-once re-delivery
   * comes soon after the original, within the job's de-duplication memory.
   */
  static final int RECENT_EVENTS = 16;

  private static final MalformedKind[] KINDS = MalformedKind.values();

  private final double duplicateRate;
  private final double malformedRate;
  private final Random random;
  private final Deque<InteractionEvent> recent = new ArrayDeque<>(RECENT_EVENTS);

  FaultInjector(double duplicateRate, double malformedRate, long seed) {
    this.duplicateRate = duplicateRate;
    this.malformedRate = malformedRate;
    this.random = new Random(seed);
  }

  /** An earlier event (possibly {@code sent} itself) to send again, or empty. */
  Optional<InteractionEvent> duplicateAfter(InteractionEvent sent) {
    if (recent.size() == RECENT_EVENTS) {
      recent.removeFirst();
    }
    recent.addLast(sent);
    if (random.nextDouble() >= duplicateRate) {
      return Optional.empty();
    }
    List<InteractionEvent> candidates = new ArrayList<>(recent);
    return Optional.of(candidates.get(random.nextInt(candidates.size())));
  }

  /** The kind of malformed record to send next, or empty. */
  Optional<MalformedKind> malformedAfter() {
    if (random.nextDouble() >= malformedRate) {
      return Optional.empty();
    }
    return Optional.of(KINDS[random.nextInt(KINDS.length)]);
  }
}
