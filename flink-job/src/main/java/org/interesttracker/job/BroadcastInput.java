package org.interesttracker.job;

import org.interesttracker.avro.ControlRequest;
import org.interesttracker.popularity.PopularityUpdate;

/**
 * What every scoring instance receives, unkeyed: a control request, or an item's live-popularity
 * weight at a snapshot boundary. One of the two is set. A Flink POJO.
 */
public final class BroadcastInput {
  public ControlRequest control;
  public PopularityUpdate popularity;

  public BroadcastInput() {}

  static BroadcastInput of(ControlRequest control) {
    BroadcastInput input = new BroadcastInput();
    input.control = control;
    return input;
  }

  static BroadcastInput of(PopularityUpdate popularity) {
    BroadcastInput input = new BroadcastInput();
    input.popularity = popularity;
    return input;
  }
}
