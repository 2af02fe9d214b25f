package org.interesttracker.interest;

import org.interesttracker.avro.EventType;

/**
 * How much one event adds to a scene's interest strength: stronger signals (a purchase) count more
 * than a passing view. An event type added by a newer producer reads as UNKNOWN and counts as a
 * view, the weakest known signal.
 */
public final class EventWeights {
  private EventWeights() {}

  public static double weight(EventType type) {
    return switch (type) {
      case UNKNOWN, VIEW -> 1.0;
      case CLICK -> 2.0;
      case LIKE -> 3.0;
      case CART -> 4.0;
      case PURCHASE -> 5.0;
    };
  }
}
