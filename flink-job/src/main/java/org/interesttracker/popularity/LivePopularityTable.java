package org.interesttracker.popularity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.interesttracker.serving.PopularItem;
import org.interesttracker.serving.Vocabulary;

/**
 * The live popularity a scoring instance keeps: every item's published weight over every scene and
 * in each scene, the snapshot any request reads as log shares over a model's vocabulary, and a
 * scene's most popular items in it (a new user's list).
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

  private static final Comparator<PopularItem> MOST_POPULAR_FIRST =
      Comparator.comparingDouble(PopularItem::count)
          .reversed()
          .thenComparingInt(PopularItem::index);

  private final PopularityRule rule;
  // Per scene, null for every scene: item -> weight.
  private final Map<String, Map<String, ItemWeight>> base = new HashMap<>();
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
      putInBase(update);
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
    due.values().forEach(updates -> updates.forEach(this::putInBase));
    due.clear();
    for (Map<String, ItemWeight> weights : base.values()) {
      weights.values().removeIf(w -> rule.weightAt(w.weight, w.atMs, boundaryMs) == 0.0);
    }
    base.values().removeIf(Map::isEmpty);
    baseBoundaryMs = boundaryMs;
  }

  /**
   * The snapshot at {@code boundaryMs} (at or after the base) as log(share + floor) per vocabulary
   * index, shares among the vocabulary's items from {@code firstIndex} on; the indices before get
   * the floor. Computed as {@code live_popularity.log_shares} does, in doubles.
   */
  public float[] logShares(Vocabulary items, int firstIndex, long boundaryMs) {
    Snapshot snapshot = snapshot(null, boundaryMs);
    double[] weights = new double[items.size()];
    double total = 0.0;
    for (int index = firstIndex; index < weights.length; index++) {
      weights[index] = snapshot.weightOf(items.token(index));
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

  /**
   * The vocabulary's items (from {@code firstIndex} on) with weight in {@code scene} (null: every
   * scene) at {@code boundaryMs}, most popular first and at most {@code limit}; equal weights go to
   * the lower index, as in {@code live_popularity.LiveScenePopularity}. Each item's count is its
   * weight.
   */
  public List<PopularItem> mostPopular(
      String scene, Vocabulary items, int firstIndex, long boundaryMs, int limit) {
    Snapshot snapshot = snapshot(scene, boundaryMs);
    List<PopularItem> ranked = new ArrayList<>();
    for (String item : snapshot.items()) {
      int index = items.indexOf(item);
      double weight = snapshot.weightOf(item);
      if (index >= firstIndex && weight > 0.0) {
        ranked.add(new PopularItem(item, index, weight));
      }
    }
    ranked.sort(MOST_POPULAR_FIRST);
    return List.copyOf(ranked.subList(0, Math.min(limit, ranked.size())));
  }

  /** Items in the base and updates waiting: what a checkpoint keeps. */
  public int entries() {
    return base.values().stream().mapToInt(Map::size).sum()
        + waiting.values().stream().mapToInt(List::size).sum();
  }

  /** Everything as updates, oldest boundary first: {@link #restore} rebuilds an equal table. */
  public List<PopularityUpdate> toUpdates() {
    List<PopularityUpdate> updates = new ArrayList<>(entries());
    base.forEach(
        (scene, weights) ->
            weights.forEach(
                (item, weight) ->
                    updates.add(new PopularityUpdate(scene, item, weight.weight, weight.atMs))));
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

  private void putInBase(PopularityUpdate update) {
    base.computeIfAbsent(update.scene, ignored -> new HashMap<>())
        .put(update.item, new ItemWeight(update.weight, update.boundaryMs));
  }

  /** The weights of {@code scene} (null: every scene) at a boundary at or after the base. */
  private Snapshot snapshot(String scene, long boundaryMs) {
    if (boundaryMs < baseBoundaryMs) {
      throw new IllegalArgumentException(
          "the snapshot at " + boundaryMs + " is older than the base at " + baseBoundaryMs);
    }
    Map<String, ItemWeight> laidOver = new HashMap<>();
    for (List<PopularityUpdate> updates : waiting.headMap(boundaryMs, true).values()) {
      for (PopularityUpdate update : updates) {
        if (Objects.equals(update.scene, scene)) {
          laidOver.put(update.item, new ItemWeight(update.weight, update.boundaryMs));
        }
      }
    }
    return new Snapshot(base.getOrDefault(scene, Map.of()), laidOver, boundaryMs);
  }

  /** The base of one scene with the waiting updates up to a boundary laid over it. */
  private final class Snapshot {
    private final Map<String, ItemWeight> base;
    private final Map<String, ItemWeight> laidOver;
    private final long boundaryMs;

    Snapshot(Map<String, ItemWeight> base, Map<String, ItemWeight> laidOver, long boundaryMs) {
      this.base = base;
      this.laidOver = laidOver;
      this.boundaryMs = boundaryMs;
    }

    double weightOf(String item) {
      ItemWeight weight = laidOver.get(item);
      if (weight == null) {
        weight = base.get(item);
      }
      return weight == null ? 0.0 : rule.weightAt(weight.weight, weight.atMs, boundaryMs);
    }

    Set<String> items() {
      Set<String> items = new HashSet<>(base.keySet());
      items.addAll(laidOver.keySet());
      return items;
    }
  }
}
