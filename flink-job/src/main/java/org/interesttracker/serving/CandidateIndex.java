package org.interesttracker.serving;

import java.util.List;

/**
 * Finds the items that score highest for an interest vector. {@link ExactTopK} scans every item; an
 * approximate nearest-neighbour index (HNSW, IVF-PQ) plugs in here for catalogs where the scan is
 * too slow.
 */
public interface CandidateIndex {

  /**
   * The {@code k} best items for the vector at {@code vector[offset .. offset + dim)}, best first,
   * leaving out the item indices in {@code excluded} (sorted ascending).
   */
  List<ScoredItem> topK(float[] vector, int offset, int k, int[] excluded);
}
