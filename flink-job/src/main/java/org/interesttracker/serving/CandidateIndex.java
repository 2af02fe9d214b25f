package org.interesttracker.serving;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the items that score highest (by dot product) for an interest vector. {@link ExactTopK}
 * scans every item; {@link HnswIndex}, an approximate one, answers in far less for catalogs where
 * the scan is too slow. {@link CandidateIndexes#build} makes either.
 */
public interface CandidateIndex {

  /**
   * The {@code k} best items for the vector at {@code vector[offset .. offset + dim)}, best first,
   * leaving out the item indices in {@code excluded} (sorted ascending).
   */
  List<ScoredItem> topK(float[] vector, int offset, int k, int[] excluded);

  /**
   * {@link #topK(float[], int, int, int[])} for several vectors, starting at {@code offsets} in
   * {@code vectors}, each with its own sorted {@code excluded}; an index may share work across
   * them.
   */
  /**
   * Replaces the last column of the scored embeddings (the log popularity share of a model that
   * blends popularity in) by {@code column}, one value per item: live popularity moves it.
   *
   * @throws UnsupportedOperationException for an index without that column
   */
  default void replacePopularity(float[] column) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " has no popularity column");
  }

  default List<List<ScoredItem>> topK(float[] vectors, int[] offsets, int k, int[][] excluded) {
    List<List<ScoredItem>> results = new ArrayList<>(offsets.length);
    for (int q = 0; q < offsets.length; q++) {
      results.add(topK(vectors, offsets[q], k, excluded[q]));
    }
    return results;
  }
}
