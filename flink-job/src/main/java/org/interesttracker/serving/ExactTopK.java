package org.interesttracker.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact top-K by scanning every item: one dot product per item, a K-slot insertion list for the
 * best. At 100,000 items of dimension 64 that is a few million multiply-adds per query.
 */
public final class ExactTopK implements CandidateIndex {
  private final ItemEmbeddings embeddings;
  private final int firstItem;

  /** Scores items from {@code firstItem} on; lower indices are padding and unknown. */
  public ExactTopK(ItemEmbeddings embeddings, int firstItem) {
    this.embeddings = embeddings;
    this.firstItem = firstItem;
  }

  @Override
  public List<ScoredItem> topK(float[] vector, int offset, int k, int[] excluded) {
    int[] bestItems = new int[k];
    float[] bestScores = new float[k];
    int found = 0;
    for (int item = firstItem; item < embeddings.rows(); item++) {
      float score = embeddings.dot(item, vector, offset);
      if (found == k && score <= bestScores[k - 1]) {
        continue;
      }
      if (Arrays.binarySearch(excluded, item) >= 0) {
        continue;
      }
      int slot = found < k ? found++ : k - 1;
      while (slot > 0 && bestScores[slot - 1] < score) {
        bestScores[slot] = bestScores[slot - 1];
        bestItems[slot] = bestItems[slot - 1];
        slot--;
      }
      bestScores[slot] = score;
      bestItems[slot] = item;
    }
    List<ScoredItem> best = new ArrayList<>(found);
    for (int i = 0; i < found; i++) {
      best.add(new ScoredItem(bestItems[i], bestScores[i]));
    }
    return best;
  }
}
