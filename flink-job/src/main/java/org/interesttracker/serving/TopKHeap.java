package org.interesttracker.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The best {@code k} of a stream of scored items, in primitive arrays: a min-heap whose root is the
 * worst kept item, so a candidate costs one comparison unless it gets in. Higher scores are better;
 * of equal scores the lower item index is, which is what a scan in index order keeps anyway.
 */
final class TopKHeap {
  private final int[] items;
  private final float[] scores;
  private int size;

  TopKHeap(int k) {
    items = new int[k];
    scores = new float[k];
  }

  /**
   * Offers {@code candidates[from .. to)} as the items from {@code item} on, in order, leaving out
   * those in {@code excluded} (sorted), which is looked up only for items that would get in. Once
   * the heap is full an item gets in only by beating the root: its score is then held in a local
   * between the few items that do, so each of the others costs a load and a compare.
   */
  void offerAll(int item, float[] candidates, int from, int to, int[] excluded) {
    int i = from;
    for (; i < to && size < items.length; i++) {
      offerUnlessExcluded(item + (i - from), candidates[i], excluded);
    }
    if (size == 0) {
      return; // k is 0, or no item is left
    }
    for (i = firstAbove(candidates, i, to, scores[0]);
        i < to;
        i = firstAbove(candidates, i + 1, to, scores[0])) {
      offerUnlessExcluded(item + (i - from), candidates[i], excluded);
    }
  }

  /** The first index from {@code from} whose candidate beats {@code bar}, or {@code to}. */
  private static int firstAbove(float[] candidates, int from, int to, float bar) {
    int i = from;
    while (i < to && !(candidates[i] > bar)) {
      i++;
    }
    return i;
  }

  private void offerUnlessExcluded(int item, float score, int[] excluded) {
    if (Arrays.binarySearch(excluded, item) < 0) {
      offer(item, score);
    }
  }

  /** Keeps {@code item} if it is among the best so far. */
  void offer(int item, float score) {
    if (size < items.length) {
      int slot = size++;
      while (slot > 0) {
        int parent = (slot - 1) >>> 1;
        if (!worse(score, item, scores[parent], items[parent])) {
          break;
        }
        scores[slot] = scores[parent];
        items[slot] = items[parent];
        slot = parent;
      }
      scores[slot] = score;
      items[slot] = item;
    } else if (items.length > 0 && worse(scores[0], items[0], score, item)) {
      siftDown(item, score);
    }
  }

  private void siftDown(int item, float score) {
    int slot = 0;
    while (true) {
      int child = 2 * slot + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size
          && worse(scores[child + 1], items[child + 1], scores[child], items[child])) {
        child++;
      }
      if (!worse(scores[child], items[child], score, item)) {
        break;
      }
      scores[slot] = scores[child];
      items[slot] = items[child];
      slot = child;
    }
    scores[slot] = score;
    items[slot] = item;
  }

  private static boolean worse(float scoreA, int itemA, float scoreB, int itemB) {
    return scoreA < scoreB || (scoreA == scoreB && itemA > itemB);
  }

  /** The kept items, best first. */
  List<ScoredItem> toList() {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            worse(scores[a], items[a], scores[b], items[b])
                ? 1
                : worse(scores[b], items[b], scores[a], items[a]) ? -1 : 0);
    List<ScoredItem> best = new ArrayList<>(size);
    for (int slot : order) {
      best.add(new ScoredItem(items[slot], scores[slot]));
    }
    return best;
  }
}
