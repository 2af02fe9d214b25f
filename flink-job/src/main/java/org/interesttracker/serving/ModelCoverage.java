package org.interesttracker.serving;

import java.util.HashSet;
import java.util.Set;

/**
 * How much of a stream a model knows: the share of events whose item and scene it was trained on. A
 * model trained on other data serves popularity in disguise; this is how a user finds out.
 */
public final class ModelCoverage {
  /** Below this share the model was most likely trained on other data. */
  public static final double LOW = 0.5;

  private final Vocabulary items;
  private final Set<String> scenes;
  private long events;
  private long known;

  public ModelCoverage(ModelBundle model) {
    this.items = model.items();
    this.scenes = new HashSet<>(model.scenes());
  }

  /** Counts one event; returns whether the model knows it. */
  public boolean record(String itemId, String scene) {
    events++;
    boolean isKnown = items.contains(itemId) && scenes.contains(scene);
    if (isKnown) {
      known++;
    }
    return isKnown;
  }

  public long events() {
    return events;
  }

  /** Known events over all events; 1 before any event. */
  public double share() {
    return events == 0 ? 1.0 : (double) known / events;
  }

  public boolean isLow() {
    return share() < LOW;
  }
}
