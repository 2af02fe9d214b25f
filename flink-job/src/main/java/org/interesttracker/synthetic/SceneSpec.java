package org.interesttracker.synthetic;

import java.time.Duration;

/**
 * One synthetic scene and what is planted in it.
 *
 * @param name the scene name written to the event log
 * @param halfLife how fast past interactions stop steering what a user picks here: an interaction
 *     {@code halfLife} ago counts half as much as one just now
 * @param cartProbability chance that an event here is an add-to-cart
 * @param purchaseProbability chance that an event here is a purchase
 */
public record SceneSpec(
    String name, Duration halfLife, double cartProbability, double purchaseProbability) {

  public SceneSpec {
    if (name == null || name.isEmpty() || name.contains(",")) {
      throw new IllegalArgumentException("scene name must be non-empty without commas: " + name);
    }
    if (halfLife.isNegative() || halfLife.isZero()) {
      throw new IllegalArgumentException("half-life of " + name + " must be positive");
    }
  }
}
