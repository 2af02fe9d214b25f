package org.interesttracker.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact top-K by scanning every item. At construction the embeddings are copied into blocks of
 * {@value #BLOCK} items, each stored dimension by dimension ({@code block[d][j]} is dimension
 * {@code d} of the block's item {@code j}; the last block is padded with zeros). A query scores a
 * block one dimension at a time, {@code scores[j] += q[d] * block[d][j]} over the block's items:
 * the JIT (C2) runs that loop as SIMD multiplies and adds across items, whereas a row-major dot
 * product is a float sum across dimensions, which it must add one term at a time (Java fixes the
 * order of float additions). Each item is still summed in dimension order from 0, so its score
 * equals {@link ItemEmbeddings#dot} bit for bit. A bounded min-heap keeps the best, and the
 * exclusion list is looked up only for items good enough to get in.
 *
 * <p>Blocks are large because C2 runs a short loop over a constant count with narrow vectors and a
 * scalar start and end: at the default catalog's size blocks of 64 items measured 2.3 times slower
 * than 1,024, of 128 1.4 times, of 512 about the same. A block's scores, 4 KB, still stay in the L1
 * cache. Each dimension of a block is an array of its own: C2 vectorises the loop only when it can
 * tell the stores to the scores from the loads of the block, which it cannot for a stretch at a
 * run-time offset inside one large array.
 *
 * <p>The copy doubles the memory of the embeddings: the row-major matrix stays in {@link
 * ItemEmbeddings} for its other users.
 *
 * <p>Works at any dimension: over {@link ItemEmbeddings#appendColumn} embeddings with the query
 * {@code [interest, w]} it ranks by {@code interest . embedding + w * column}. Safe for concurrent
 * queries: each has its own scratch scores.
 */
public final class ExactTopK implements CandidateIndex {
  /** Items per block, for the reasons in the class comment. */
  static final int BLOCK = 1024;

  /** [block][dimension][item in the block]. */
  private final float[][][] blocks;

  private final int rows;
  private final int firstItem;

  /** Scores items from {@code firstItem} on; lower indices are padding and unknown. */
  public ExactTopK(ItemEmbeddings embeddings, int firstItem) {
    this.blocks = dimensionMajorBlocks(embeddings);
    this.rows = embeddings.rows();
    this.firstItem = Math.max(firstItem, 0);
  }

  /** The last dimension is the popularity column: it is replaced in place, block by block. */
  @Override
  public void replacePopularity(float[] column) {
    if (column.length != rows) {
      throw new IllegalArgumentException(column.length + " values for " + rows + " items");
    }
    for (int item = 0; item < rows; item++) {
      float[][] block = blocks[item / BLOCK];
      block[block.length - 1][item % BLOCK] = column[item];
    }
  }

  private static float[][][] dimensionMajorBlocks(ItemEmbeddings embeddings) {
    int rows = embeddings.rows();
    int dim = embeddings.dim();
    float[][][] blocks = new float[(rows + BLOCK - 1) / BLOCK][dim][BLOCK];
    float[] row = new float[dim];
    for (int item = 0; item < rows; item++) {
      embeddings.copyRow(item, row, 0);
      float[][] block = blocks[item / BLOCK];
      for (int d = 0; d < dim; d++) {
        block[d][item % BLOCK] = row[d];
      }
    }
    return blocks;
  }

  @Override
  public List<ScoredItem> topK(float[] vector, int offset, int k, int[] excluded) {
    if (k <= 0) {
      return List.of();
    }
    TopKHeap best = new TopKHeap(k);
    float[] scores = new float[BLOCK];
    for (int block = firstItem / BLOCK; block < blocks.length; block++) {
      score(blocks[block], vector, offset, scores);
      offer(best, block, scores, 0, excluded);
    }
    return best.toList();
  }

  /**
   * The top {@code k} of each vector, four at a time: each block serves four queries while it is in
   * cache, each of its values read once for the four. Results equal those of one query at a time.
   */
  @Override
  public List<List<ScoredItem>> topK(float[] vectors, int[] offsets, int k, int[][] excluded) {
    int queries = offsets.length;
    List<List<ScoredItem>> results = new ArrayList<>(queries);
    int q = 0;
    if (k > 0) {
      for (; q + 3 < queries; q += 4) {
        results.addAll(topKOfFour(vectors, offsets, q, k, excluded));
      }
    }
    for (; q < queries; q++) {
      results.add(topK(vectors, offsets[q], k, excluded[q]));
    }
    return results;
  }

  private List<List<ScoredItem>> topKOfFour(
      float[] vectors, int[] offsets, int first, int k, int[][] excluded) {
    TopKHeap[] best = new TopKHeap[4];
    for (int i = 0; i < 4; i++) {
      best[i] = new TopKHeap(k);
    }
    // The four queries' scores side by side in one array: in four arrays of their own C2 ran the
    // loop that updates them several times slower.
    float[] scores = new float[4 * BLOCK];
    for (int block = firstItem / BLOCK; block < blocks.length; block++) {
      scoreFour(blocks[block], vectors, offsets, first, scores);
      for (int i = 0; i < 4; i++) {
        offer(best[i], block, scores, i * BLOCK, excluded[first + i]);
      }
    }
    return List.of(best[0].toList(), best[1].toList(), best[2].toList(), best[3].toList());
  }

  /** Each item of {@code block} scored for the vector at {@code vector[offset ..]}. */
  private static void score(float[][] block, float[] vector, int offset, float[] scores) {
    Arrays.fill(scores, 0f);
    for (int d = 0; d < block.length; d++) {
      float q = vector[offset + d];
      float[] values = block[d];
      for (int j = 0; j < BLOCK; j++) {
        scores[j] += q * values[j];
      }
    }
  }

  /** {@link #score} for four vectors, query {@code i}'s scores from {@code i * BLOCK}. */
  private static void scoreFour(
      float[][] block, float[] vectors, int[] offsets, int first, float[] scores) {
    Arrays.fill(scores, 0f);
    int o0 = offsets[first];
    int o1 = offsets[first + 1];
    int o2 = offsets[first + 2];
    int o3 = offsets[first + 3];
    for (int d = 0; d < block.length; d++) {
      float q0 = vectors[o0 + d];
      float q1 = vectors[o1 + d];
      float q2 = vectors[o2 + d];
      float q3 = vectors[o3 + d];
      float[] values = block[d];
      for (int j = 0; j < BLOCK; j++) {
        float value = values[j];
        scores[j] += q0 * value;
        scores[BLOCK + j] += q1 * value;
        scores[2 * BLOCK + j] += q2 * value;
        scores[3 * BLOCK + j] += q3 * value;
      }
    }
  }

  /**
   * Offers the real items of {@code block}, scored in {@code scores} from {@code at}: not those
   * below {@code firstItem} nor the padding past the last row.
   */
  private void offer(TopKHeap best, int block, float[] scores, int at, int[] excluded) {
    int start = block * BLOCK;
    int from = Math.max(firstItem - start, 0);
    int to = Math.min(BLOCK, rows - start);
    best.offerAll(start + from, scores, at + from, at + to, excluded);
  }
}
