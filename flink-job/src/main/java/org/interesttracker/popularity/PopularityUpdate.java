package org.interesttracker.popularity;

/**
 * An item's weight as of a snapshot boundary, published by the popularity aggregation to every
 * scoring instance. A Flink POJO.
 */
public final class PopularityUpdate {
  public String item;
  public double weight;
  public long boundaryMs;

  public PopularityUpdate() {}

  public PopularityUpdate(String item, double weight, long boundaryMs) {
    this.item = item;
    this.weight = weight;
    this.boundaryMs = boundaryMs;
  }

  @Override
  public String toString() {
    return item + " " + weight + " at " + boundaryMs;
  }
}
