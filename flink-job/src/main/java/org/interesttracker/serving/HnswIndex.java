package org.interesttracker.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Approximate top-K by inner product over an HNSW graph (Apache Lucene's in-memory builder and
 * searcher), for catalogs where the exact scan is too slow.
 *
 * <p>The graph is built and searched with the inner product itself (Lucene's {@code
 * MAXIMUM_INNER_PRODUCT}, which maps {@code q . x} to a positive score in the same order), as in
 * the non-metric similarity graphs of Morozov and Babenko (NeurIPS 2018). The usual reduction to a
 * metric space (append {@code sqrt(M^2 - |x|^2)} to every item and 0 to the query, then search by
 * cosine) ranks the same, but its graph navigates far worse: over 20,000 Gaussian items of
 * dimension 48 (the index test's set), 16 connections and a search beam of 100 found 48% of the
 * exact top 10 with the reduction and 95% with the inner product. The candidates found are scored
 * again with {@link ItemEmbeddings#dot}, so {@link ScoredItem#score} is the one {@link ExactTopK}
 * gives.
 *
 * <p>Items the caller excludes are skipped through Lucene's accepted-ordinals filter: the search
 * walks through them but never returns them, so k results come back while k others exist.
 *
 * <p>Built once (the graph is then read-only); safe for concurrent queries.
 */
public final class HnswIndex implements CandidateIndex {
  /** Fewer items than this per thread are not worth a concurrent build. */
  private static final int PER_BUILD_THREAD = 10_000;

  private static final VectorSimilarityFunction SIMILARITY =
      VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;

  private final ItemEmbeddings embeddings;
  private final int firstItem;
  private final int searchBeam;
  private final RandomAccessVectorValues.Floats vectors;
  private final OnHeapHnswGraph graph;

  private HnswIndex(
      ItemEmbeddings embeddings,
      int firstItem,
      int searchBeam,
      RandomAccessVectorValues.Floats vectors,
      OnHeapHnswGraph graph) {
    this.embeddings = embeddings;
    this.firstItem = firstItem;
    this.searchBeam = searchBeam;
    this.vectors = vectors;
    this.graph = graph;
  }

  /** Builds the graph over the items from {@code firstItem} on (lower ones are padding). */
  public static HnswIndex build(ItemEmbeddings embeddings, int firstItem, HnswSettings settings) {
    int first = Math.max(firstItem, 0);
    int count = Math.max(embeddings.rows() - first, 0);
    int dim = embeddings.dim();
    // Lucene reads vectors as one array each: the index keeps its own copy of the rows.
    List<float[]> rows = new ArrayList<>(count);
    for (int item = first; item < first + count; item++) {
      float[] row = new float[dim];
      embeddings.copyRow(item, row, 0);
      rows.add(row);
    }
    RandomAccessVectorValues.Floats vectors = RandomAccessVectorValues.fromFloats(rows, dim);
    try {
      OnHeapHnswGraph graph = null;
      if (count > 0) {
        RandomVectorScorerSupplier scorers =
            DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(SIMILARITY, vectors);
        graph = buildGraph(scorers, count, settings);
      }
      return new HnswIndex(embeddings, first, settings.searchBeam(), vectors, graph);
    } catch (IOException e) {
      // Everything is on the heap: Lucene's signatures declare I/O its files would do.
      throw new UncheckedIOException(e);
    }
  }

  private static OnHeapHnswGraph buildGraph(
      RandomVectorScorerSupplier scorers, int count, HnswSettings settings) throws IOException {
    HnswGraphBuilder single =
        HnswGraphBuilder.create(
            scorers, settings.maxConnections(), settings.buildBeam(), settings.seed(), count);
    int threads = Math.min(settings.buildThreads(), Math.max(1, count / PER_BUILD_THREAD));
    if (threads == 1) {
      return single.build(count);
    }
    // Lucene's concurrent builder (the one its segment merges use) fills the same empty graph.
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      return new HnswConcurrentMergeBuilder(
              new TaskExecutor(pool),
              threads,
              scorers,
              settings.maxConnections(),
              settings.buildBeam(),
              single.getGraph(),
              null)
          .build(count);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The same graph searched with another beam (HNSW's efSearch). */
  public HnswIndex withSearchBeam(int beam) {
    if (beam <= 0) {
      throw new IllegalArgumentException("the search beam must be positive, got " + beam);
    }
    return new HnswIndex(embeddings, firstItem, beam, vectors, graph);
  }

  /** Bytes the graph and the index's copy of the vectors take on the heap. */
  public long ramBytesUsed() {
    long vectorBytes = (long) vectors.size() * (16L + 4L * vectors.dimension() + 8L);
    return vectorBytes + (graph == null ? 0 : graph.ramBytesUsed());
  }

  @Override
  public List<ScoredItem> topK(float[] vector, int offset, int k, int[] excluded) {
    if (k <= 0 || graph == null) {
      return List.of();
    }
    float[] query = Arrays.copyOfRange(vector, offset, offset + embeddings.dim());
    ScoreDoc[] found;
    try {
      RandomVectorScorer scorer =
          DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(SIMILARITY, vectors, query);
      KnnCollector collector =
          HnswGraphSearcher.search(
              scorer,
              Math.max(k, searchBeam),
              graph,
              accepted(excluded, vectors.size()),
              Integer.MAX_VALUE);
      found = collector.topDocs().scoreDocs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TopKHeap best = new TopKHeap(k);
    for (ScoreDoc doc : found) {
      int item = firstItem + doc.doc;
      best.offer(item, embeddings.dot(item, vector, offset));
    }
    return best.toList();
  }

  /** The ordinals not excluded, or null (all) when nothing is. */
  private Bits accepted(int[] excluded, int ordinals) {
    if (excluded.length == 0) {
      return null;
    }
    return new Bits() {
      @Override
      public boolean get(int ordinal) {
        return Arrays.binarySearch(excluded, firstItem + ordinal) < 0;
      }

      @Override
      public int length() {
        return ordinals;
      }
    };
  }
}
