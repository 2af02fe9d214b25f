package org.interesttracker.popularity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.interesttracker.serving.Vocabulary;

/**
 * The live popularity a scoring instance keeps: every item's published weight, and the snapshot any
 * request reads as log shares over a model's vocabulary.
 *
 * <p>Updates arrive per boundary, possibly before every instance of the aggregation has published
 * that boundary, so they wait until the base moves past them. The base is the oldest boundary a
 * request can still read (the job moves it with its watermark); a request for a later boundary
 * reads the base with the waiting updates up to its boundary laid over it, so events somewhat out
 * of order still read their own snapshot. Items whose weight has fallen below the minimum leave the
 * base (bounded memory).
 */
public final class LivePopularityTable {
  /**
   * log(share + floor) keeps items never seen finite; the floor is this share of a uniform share.
   */
  static final double FLOOR_SHARE_OF_UNIFORM = 0.1;

  private final PopularityRule rule;
  private final Map<String, ItemWeight> base = new HashMap<>();
  private long baseBoundaryMs = Long.MIN_VALUE;
  private final TreeMap<Long, List<PopularityUpdate>> waiting = new TreeMap<>();

  public LivePopularityTable(PopularityRule rule) {
    this.rule = rule;
  }

  public PopularityRule rule() {
    return rule;
  }

  public long baseBoundaryMs() {
    return baseBoundaryMs;
  }

  public void add(PopularityUpdate update) {
    if (update.boundaryMs <= baseBoundaryMs) {
      base.put(update.item, new ItemWeight(update.weight, update.boundaryMs));
    } else {
      waiting.computeIfAbsent(update.boundaryMs, ignored -> new ArrayList<>()).add(update);
    }
  }

  /** Takes in the updates up to {@code boundaryMs} and drops the items below the minimum there. */
  public void advanceBase(long boundaryMs) {
    if (boundaryMs <= baseBoundaryMs) {
      return;
    }
    NavigableMap<Long, List<PopularityUpdate>> due = waiting.headMap(boundaryMs, true);
    for (List<PopularityUpdate> updates : due.values()) {
      for (PopularityUpdate update : updates) {
        base.put(update.item, new ItemWeight(update.weight, update.boundaryMs));
      }
    }
    due.clear();
    Iterator<ItemWeight> weights = base.values().iterator();
    while (weights.hasNext()) {
      ItemWeight weight = weights.next();
      if (rule.weightAt(weight.weight, weight.atMs, boundaryMs) == 0.0) {
        weights.remove();
      }
    }
    baseBoundaryMs = boundaryMs;
  }

  /**
   * The snapshot at {@code boundaryMs} (at or after the base) as log(share + floor) per vocabulary
   * index, shares among the vocabulary's items from {@code firstIndex} on; the indices before get
   * the floor. Computed as {@code live_popularity.log_shares} does, in doubles.
   */
  public float[] logShares(Vocabulary items, int firstIndex, long boundaryMs) {
    if (boundaryMs < baseBoundaryMs) {
      throw new IllegalArgumentException(
          "the snapshot at " + boundaryMs + " is older than the base at " + baseBoundaryMs);
    }
    Map<String, PopularityUpdate> laidOver = new HashMap<>();
    for (List<PopularityUpdate> updates : waiting.headMap(boundaryMs, true).values()) {
      for (PopularityUpdate update : updates) {
        laidOver.put(update.item, update);
      }
    }
    double[] weights = new double[items.size()];
    double total = 0.0;
    for (int index = firstIndex; index < weights.length; index++) {
      String token = items.token(index);
      PopularityUpdate update = laidOver.get(token);
      if (update != null) {
        weights[index] = rule.weightAt(update.weight, update.boundaryMs, boundaryMs);
      } else {
        ItemWeight weight = base.get(token);
        weights[index] =
            weight == null ? 0.0 : rule.weightAt(weight.weight, weight.atMs, boundaryMs);
      }
      total += weights[index];
    }
    double floor = FLOOR_SHARE_OF_UNIFORM / (items.size() - firstIndex);
    float[] logShares = new float[items.size()];
    for (int index = 0; index < logShares.length; index++) {
      double share = index >= firstIndex && total > 0 ? weights[index] / total : 0.0;
      logShares[index] = (float) Math.log(share + floor);
    }
    return logShares;
  }

  /** Items in the base and updates waiting: what a checkpoint keeps. */
  public int entries() {
    return base.size() + waiting.values().stream().mapToInt(List::size).sum();
  }

  /** Everything as updates, oldest boundary first: {@link #restore} rebuilds an equal table. */
  public List<PopularityUpdate> toUpdates() {
    List<PopularityUpdate> updates = new ArrayList<>(entries());
    base.forEach(
        (item, weight) -> updates.add(new PopularityUpdate(item, weight.weight, weight.atMs)));
    waiting.values().forEach(updates::addAll);
    return updates;
  }

  /** A table from {@link #toUpdates}; its base moves at the next {@link #advanceBase}. */
  public static LivePopularityTable restore(
      PopularityRule rule, Iterable<PopularityUpdate> updates) {
    LivePopularityTable table = new LivePopularityTable(rule);
    for (PopularityUpdate update : updates) {
      table.add(update);
    }
    return table;
  }
}
