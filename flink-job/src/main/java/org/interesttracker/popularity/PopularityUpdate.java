package org.interesttracker.popularity;

/**
 * An item's weight as of a snapshot boundary, over every scene or in one, published by the
 * popularity aggregation to every scoring instance. A Flink POJO.
 */
public final class PopularityUpdate {
  /**
   * The scene the weight counts events of; null for every scene (as updates before scenes were).
   */
  public String scene;

  public String item;
  public double weight;
  public long boundaryMs;

  public PopularityUpdate() {}

  /** The item's weight over every scene. */
  public PopularityUpdate(String item, double weight, long boundaryMs) {
    this(null, item, weight, boundaryMs);
  }

  public PopularityUpdate(String scene, String item, double weight, long boundaryMs) {
    this.scene = scene;
    this.item = item;
    this.weight = weight;
    this.boundaryMs = boundaryMs;
  }

  @Override
  public String toString() {
    return (scene == null ? "" : scene + " ") + item + " " + weight + " at " + boundaryMs;
  }
}
