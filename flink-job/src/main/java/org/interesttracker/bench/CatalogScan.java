package org.interesttracker.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.interesttracker.serving.CandidateIndex;
import org.interesttracker.serving.ExactTopK;
import org.interesttracker.serving.HnswIndex;
import org.interesttracker.serving.HnswSettings;
import org.interesttracker.serving.ItemEmbeddings;
import org.interesttracker.serving.ScoredItem;

/**
 * Top-K over large synthetic catalogs: the exact scan's queries per second, to show where it stops
 * being cheap next to the model (the catalog of the default model is small), and the exact scan
 * against the HNSW index: recall of the exact top K, time per query, build time and memory.
 */
public final class CatalogScan {
  private static final int FIRST_ITEM = 2;
  private static final int QUERIES = 200;
  private static final int DIM = 48;
  private static final int K = 10;
  private static final int[] SEARCH_BEAMS = {10, 40, 100, 200};
  private static final int CLUSTERS = 1_000;
  private static final long WARM_UP_NANOS = 1_000_000_000L;

  private final int rounds;
  private final PrintStream out;

  private CatalogScan(int rounds, PrintStream out) {
    this.rounds = rounds;
    this.out = out;
  }

  static double queriesPerSecond(int items, int dim, int k, int rounds) {
    Random random = new Random(42);
    ItemEmbeddings embeddings = Catalog.GAUSSIAN.items(random, items, dim);
    float[] vectors = Catalog.GAUSSIAN.queries(random, QUERIES, dim);
    return QUERIES
        / (medianSeconds(new ExactTopK(embeddings, FIRST_ITEM), vectors, dim, k, rounds));
  }

  /**
   * For each catalog size and each kind of synthetic catalog (d = 48, queries drawn like the
   * items): the time per query of the scan before {@link ExactTopK} and of {@link ExactTopK}, then
   * the HNSW index's build time, memory, and, at a few search beams, recall@10 against the exact
   * top 10 and time per query. Times are medians of {@code rounds} rounds of 200 queries after a
   * second of warm-up, one query at a time.
   */
  public static void compareIndexes(List<Integer> sizes, int rounds, PrintStream out) {
    int threads = Runtime.getRuntime().availableProcessors();
    out.printf(
        "Top-%d over synthetic catalogs, d = %d, %d queries drawn like the items, median of %d"
            + " rounds; HNSW: %d connections, build beam %d, built by %d threads%n",
        K,
        DIM,
        QUERIES,
        rounds,
        HnswSettings.DEFAULTS.maxConnections(),
        HnswSettings.DEFAULTS.buildBeam(),
        threads);
    CatalogScan scan = new CatalogScan(rounds, out);
    for (int size : sizes) {
      for (Catalog catalog : Catalog.values()) {
        scan.compare(catalog, size, HnswSettings.DEFAULTS.withBuildThreads(threads));
      }
    }
  }

  private void compare(Catalog catalog, int items, HnswSettings settings) {
    Random random = new Random(42);
    ItemEmbeddings embeddings = catalog.items(random, items, DIM);
    float[] queries = catalog.queries(random, QUERIES, DIM);
    double plainMicros =
        medianSeconds(new PlainScan(embeddings, FIRST_ITEM), queries, DIM, K, rounds)
            * 1e6
            / QUERIES;
    out.printf(
        "%-9s %,9d items  plain scan:       %,9.1f us/query %,9.0f queries/s%n",
        catalog.label, items, plainMicros, 1e6 / plainMicros);
    ExactTopK exact = new ExactTopK(embeddings, FIRST_ITEM);
    double exactMicros = medianSeconds(exact, queries, DIM, K, rounds) * 1e6 / QUERIES;
    out.printf(
        "%-9s %,9d items  exact scan:       %,9.1f us/query %,9.0f queries/s%n",
        catalog.label, items, exactMicros, 1e6 / exactMicros);
    double batchedMicros = medianBatchSeconds(exact, queries, DIM, K, rounds) * 1e6 / QUERIES;
    out.printf(
        "%-9s %,9d items  exact, 4 per pass: %,9.1f us/query %,9.0f queries/s%n",
        catalog.label, items, batchedMicros, 1e6 / batchedMicros);
    List<Set<Integer>> truth = new ArrayList<>(QUERIES);
    for (int q = 0; q < QUERIES; q++) {
      truth.add(indices(exact.topK(queries, q * DIM, K, new int[0])));
    }

    System.gc();
    long heapBefore = usedHeap();
    long start = System.nanoTime();
    HnswIndex hnsw = HnswIndex.build(embeddings, FIRST_ITEM, settings);
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    System.gc();
    long heapGrowth = usedHeap() - heapBefore;
    out.printf(
        "%-9s %,9d items  HNSW build:       %,9.1f s, %,.0f MB (graph and vectors; heap grew"
            + " %,.0f MB); the embeddings are %,.0f MB%n",
        catalog.label,
        items,
        buildSeconds,
        hnsw.ramBytesUsed() / 1e6,
        heapGrowth / 1e6,
        (double) items * DIM * Float.BYTES / 1e6);
    for (int beam : SEARCH_BEAMS) {
      HnswIndex searched = hnsw.withSearchBeam(beam);
      double micros = medianSeconds(searched, queries, DIM, K, rounds) * 1e6 / QUERIES;
      int hits = 0;
      for (int q = 0; q < QUERIES; q++) {
        for (ScoredItem item : searched.topK(queries, q * DIM, K, new int[0])) {
          hits += truth.get(q).contains(item.index()) ? 1 : 0;
        }
      }
      out.printf(
          "%-9s %,9d items  HNSW beam %-4d     %,9.1f us/query %,9.0f queries/s  recall@%d %.3f"
              + "  (%.1fx the exact scan)%n",
          catalog.label,
          items,
          beam,
          micros,
          1e6 / micros,
          K,
          hits / (double) (QUERIES * K),
          exactMicros / micros);
    }
  }

  /**
   * Median seconds of a round of every query, after warm-up rounds (one at least, and at least a
   * second of them, so the JIT has compiled the scan before the first timed round).
   */
  private static double medianSeconds(
      CandidateIndex index, float[] vectors, int dim, int k, int rounds) {
    long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
    do {
      round(index, vectors, dim, k);
    } while (System.nanoTime() < warmUpEnd);
    List<Double> seconds = new ArrayList<>(rounds);
    for (int round = 0; round < rounds; round++) {
      seconds.add(round(index, vectors, dim, k));
    }
    return Median.of(seconds);
  }

  /** As {@link #medianSeconds}, all the queries in one call, so an index may share work. */
  private static double medianBatchSeconds(
      CandidateIndex index, float[] vectors, int dim, int k, int rounds) {
    int queries = vectors.length / dim;
    int[] offsets = new int[queries];
    int[][] nothingExcluded = new int[queries][0];
    for (int query = 0; query < queries; query++) {
      offsets[query] = query * dim;
    }
    long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
    List<Double> seconds = new ArrayList<>(rounds);
    while (seconds.size() < rounds) {
      long start = System.nanoTime();
      index.topK(vectors, offsets, k, nothingExcluded);
      if (start > warmUpEnd) {
        seconds.add((System.nanoTime() - start) / 1e9);
      }
    }
    return Median.of(seconds);
  }

  private static double round(CandidateIndex index, float[] vectors, int dim, int k) {
    int[] nothingExcluded = new int[0];
    long start = System.nanoTime();
    for (int query = 0; query < vectors.length / dim; query++) {
      index.topK(vectors, query * dim, k, nothingExcluded);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static Set<Integer> indices(List<ScoredItem> items) {
    Set<Integer> indices = new HashSet<>();
    for (ScoredItem item : items) {
      indices.add(item.index());
    }
    return indices;
  }

  /**
   * The scan {@link ExactTopK} replaced, as the baseline: one row at a time, a sorted insertion
   * list of the best k.
   */
  private static final class PlainScan implements CandidateIndex {
    private final ItemEmbeddings embeddings;
    private final int firstItem;

    PlainScan(ItemEmbeddings embeddings, int firstItem) {
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

  /** Synthetic item embeddings, and queries drawn the same way. */
  private enum Catalog {
    /** Every value standard normal: no structure, the hard case for a graph index. */
    GAUSSIAN("gaussian") {
      @Override
      float[] vectors(Random random, int count, int dim) {
        float[] values = new float[count * dim];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) random.nextGaussian();
        }
        return values;
      }
    },
    /**
     * Items around 1,000 standard normal centres (noise of standard deviation 0.5), with norms
     * spread by a log-normal factor, as popular items get longer vectors in a trained model.
     */
    CLUSTERED("clustered") {
      @Override
      float[] vectors(Random random, int count, int dim) {
        Random centresRandom = new Random(7);
        float[] centres = GAUSSIAN.vectors(centresRandom, CLUSTERS, dim);
        float[] values = new float[count * dim];
        for (int v = 0; v < count; v++) {
          int centre = random.nextInt(CLUSTERS);
          float scale = (float) Math.exp(0.3 * random.nextGaussian());
          for (int i = 0; i < dim; i++) {
            values[v * dim + i] =
                scale * (centres[centre * dim + i] + 0.5f * (float) random.nextGaussian());
          }
        }
        return values;
      }
    };

    private final String label;

    Catalog(String label) {
      this.label = label;
    }

    abstract float[] vectors(Random random, int count, int dim);

    ItemEmbeddings items(Random random, int count, int dim) {
      return ItemEmbeddings.fromRowMajor(vectors(random, count, dim), dim);
    }

    float[] queries(Random random, int count, int dim) {
      return vectors(random, count, dim);
    }
  }
}
