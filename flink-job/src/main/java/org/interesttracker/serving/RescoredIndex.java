package org.interesttracker.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An approximate index over the item embeddings alone, whose candidates are rescored exactly with
 * the popularity column: the model scores an item as interest . embedding + w x log popularity, and
 * a graph built over the embeddings with that column appended links items by popularity (the
 * column's products dwarf the embeddings'), so it finds few of the right items for a query whose w
 * is small. Searching {@value #WIDEN} times k by the embedding and ranking those by the full score
 * finds them.
 */
final class RescoredIndex implements CandidateIndex {
  static final int WIDEN = 4;

  private final CandidateIndex byEmbedding;
  private final ItemEmbeddings scoring;
  private final int dim;

  /**
   * @param byEmbedding an index over the embeddings ({@code scoring} without its last column)
   * @param scoring the embeddings with the popularity column
   */
  RescoredIndex(CandidateIndex byEmbedding, ItemEmbeddings scoring) {
    this.byEmbedding = byEmbedding;
    this.scoring = scoring;
    this.dim = scoring.dim() - 1;
  }

  /** Only the rescoring reads the column: the graph over the plain embeddings stays. */
  @Override
  public void replacePopularity(float[] column) {
    scoring.replaceLastColumn(column);
  }

  @Override
  public List<ScoredItem> topK(float[] query, int offset, int k, int[] excluded) {
    float[] interest = Arrays.copyOfRange(query, offset, offset + dim);
    List<ScoredItem> rescored = new ArrayList<>(WIDEN * k);
    for (ScoredItem candidate : byEmbedding.topK(interest, 0, WIDEN * k, excluded)) {
      int item = candidate.index();
      rescored.add(new ScoredItem(item, scoring.dot(item, query, offset)));
    }
    rescored.sort(
        Comparator.comparingDouble((ScoredItem s) -> -s.score())
            .thenComparingInt(ScoredItem::index));
    return rescored.subList(0, Math.min(k, rescored.size()));
  }
}
