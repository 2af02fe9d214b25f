package org.interesttracker.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Live per-scene popularity: how often each item occurred in a scene so far in the stream, with the
 * top items kept in order as counts change, so a popularity recommendation after every event costs
 * a few set operations instead of a sort.
 */
final class ScenePopularity {
  private record Count(String item, long count) {}

  private static final Comparator<Count> MOST_FIRST =
      Comparator.comparingLong(Count::count).reversed().thenComparing(Count::item);

  private final Map<String, Map<String, Count>> countsByScene = new HashMap<>();
  private final Map<String, TreeSet<Count>> rankedByScene = new HashMap<>();

  void add(String scene, String item) {
    Map<String, Count> counts = countsByScene.computeIfAbsent(scene, s -> new HashMap<>());
    TreeSet<Count> ranked = rankedByScene.computeIfAbsent(scene, s -> new TreeSet<>(MOST_FIRST));
    Count old = counts.get(item);
    if (old != null) {
      ranked.remove(old);
    }
    Count updated = new Count(item, old == null ? 1 : old.count() + 1);
    counts.put(item, updated);
    ranked.add(updated);
  }

  /** The scene's {@code k} most frequent items so far, leaving out {@code excluded}. */
  List<String> top(String scene, int k, Set<String> excluded) {
    List<String> top = new ArrayList<>(k);
    for (Count count : rankedByScene.getOrDefault(scene, new TreeSet<>(MOST_FIRST))) {
      if (top.size() == k) {
        break;
      }
      if (!excluded.contains(count.item())) {
        top.add(count.item());
      }
    }
    return top;
  }
}
