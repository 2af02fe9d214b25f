package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExactTopKTest {
  private static final int ITEMS = 5_000;
  private static final int DIM = 16;
  private static final int FIRST_ITEM = 2;

  @Test
  void agreesWithSortingEveryScoreAndHonoursExclusions() {
    Random random = new Random(7);
    ItemEmbeddings embeddings = randomEmbeddings(random);
    float[] vector = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      vector[i] = (float) random.nextGaussian();
    }
    List<Integer> bySorting =
        IntStream.range(FIRST_ITEM, ITEMS)
            .boxed()
            .sorted(Comparator.comparingDouble(item -> -embeddings.dot(item, vector, 0)))
            .toList();
    int[] excluded = {bySorting.get(0), bySorting.get(3)};
    Arrays.sort(excluded);

    List<ScoredItem> top = new ExactTopK(embeddings, FIRST_ITEM).topK(vector, 0, 10, excluded);

    List<Integer> expected =
        bySorting.stream()
            .filter(item -> item != excluded[0] && item != excluded[1])
            .limit(10)
            .toList();
    assertThat(top).extracting(ScoredItem::index).containsExactlyElementsOf(expected);
    assertThat(top).extracting(ScoredItem::score).isSortedAccordingTo(Comparator.reverseOrder());
  }

  @Test
  void neverReturnsPaddingOrUnknownAndReturnsFewerWhenTheCatalogIsSmall() {
    ItemEmbeddings embeddings = randomEmbeddings(new Random(1));
    float[] vector = new float[DIM];
    vector[0] = 1f;

    List<ScoredItem> all = new ExactTopK(embeddings, ITEMS - 3).topK(vector, 0, 10, new int[0]);

    assertThat(all)
        .extracting(ScoredItem::index)
        .containsExactlyInAnyOrder(ITEMS - 3, ITEMS - 2, ITEMS - 1);
  }

  @Test
  void equalsTheNaiveReferenceAtEveryDimensionCatalogSizeAndK() {
    Random random = new Random(11);
    for (int dim : new int[] {1, 2, 3, 7, 8, 48, 49}) {
      for (int items : new int[] {2, 3, 5, 6, 9, 101}) {
        ItemEmbeddings embeddings = gaussian(random, items, dim);
        float[] query = gaussianVector(random, 3 + dim);
        int[] excluded = randomSubset(random, items);
        for (int k : new int[] {1, 4, 10, 200}) {
          assertThat(new ExactTopK(embeddings, 1).topK(query, 3, k, excluded))
              .as("dim %d, %d items, k %d", dim, items, k)
              .isEqualTo(naive(embeddings, 1, query, 3, k, excluded));
        }
      }
    }
  }

  @Test
  void equalsTheNaiveReferenceAcrossBlocks() {
    Random random = new Random(13);
    int block = ExactTopK.BLOCK;
    for (int dim : new int[] {1, 7, 49}) {
      for (int items : new int[] {1, 6, block - 1, block, block + 1, 2 * block + 37}) {
        ItemEmbeddings embeddings = gaussian(random, items, dim);
        float[] query = gaussianVector(random, 5 + dim);
        int[] excluded = randomSubset(random, items);
        for (int firstItem : new int[] {0, 3, block - 1, block + 2}) {
          ExactTopK index = new ExactTopK(embeddings, firstItem);
          for (int k : new int[] {1, 10, items + 5}) {
            assertThat(index.topK(query, 5, k, excluded))
                .as("dim %d, %d items from %d, k %d", dim, items, firstItem, k)
                .isEqualTo(naive(embeddings, firstItem, query, 5, k, excluded));
          }
        }
      }
    }
  }

  @Test
  void breaksTiesAcrossBlocksByTheLowerIndex() {
    Random random = new Random(17);
    int items = 2 * ExactTopK.BLOCK + 37;
    int dim = 3;
    float[] values = new float[items * dim];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextInt(3) - 1; // scores of a few integer values: ties everywhere
    }
    ItemEmbeddings embeddings = ItemEmbeddings.fromRowMajor(values, dim);
    float[] query = {1, 2, -1};
    int[] excluded = randomSubset(random, items);
    ExactTopK index = new ExactTopK(embeddings, 5);

    for (int k : new int[] {1, 10, 500, items}) {
      assertThat(index.topK(query, 0, k, excluded))
          .as("k %d", k)
          .isEqualTo(naive(embeddings, 5, query, 0, k, excluded));
    }
  }

  @Test
  void breaksTiesByTheLowerIndex() {
    // Rows 1, 4 and 6 are the same vector, as are 2 and 5: their scores are equal.
    float[] rows = {
      0, 0, 1, 1, 2, 1, 3, 3, 1, 1, 2, 1, 1, 1, 0.5f, 0.5f,
    };
    ItemEmbeddings embeddings = ItemEmbeddings.fromRowMajor(rows, 2);
    float[] query = {1, 1};

    List<ScoredItem> top = new ExactTopK(embeddings, 1).topK(query, 0, 4, new int[0]);

    assertThat(top).extracting(ScoredItem::index).containsExactly(3, 2, 5, 1);
    assertThat(top).isEqualTo(naive(embeddings, 1, query, 0, 4, new int[0]));
    assertThat(new ExactTopK(embeddings, 1).topK(query, 0, 4, new int[] {2, 3}))
        .extracting(ScoredItem::index)
        .containsExactly(5, 1, 4, 6);
  }

  @Test
  void returnsNothingForKZeroOrWhenEverythingIsExcluded() {
    ItemEmbeddings embeddings = gaussian(new Random(3), 5, 4);
    float[] query = {1, 2, 3, 4};
    ExactTopK index = new ExactTopK(embeddings, 2);

    assertThat(index.topK(query, 0, 0, new int[0])).isEmpty();
    assertThat(index.topK(query, 0, 10, new int[] {0, 2, 3, 4})).isEmpty();
    assertThat(index.topK(query, 0, 10, new int[] {3})).hasSize(2);
  }

  @Test
  void ranksByEmbeddingScorePlusWeightedBiasOverAnAppendedColumn() {
    Random random = new Random(5);
    int items = 300;
    int dim = 48;
    ItemEmbeddings embeddings = gaussian(random, items, dim);
    float[] logPopularity = new float[items];
    for (int i = 0; i < items; i++) {
      logPopularity[i] = (float) Math.log(1 + random.nextInt(1000));
    }
    ItemEmbeddings biased = ItemEmbeddings.appendColumn(embeddings, logPopularity);
    float[] interest = gaussianVector(random, dim);
    float weight = 0.7f;
    float[] query = Arrays.copyOf(interest, dim + 1);
    query[dim] = weight;
    int[] excluded = {10, 20, 30};

    List<ScoredItem> top = new ExactTopK(biased, 2).topK(query, 0, 10, excluded);

    List<Integer> expected =
        IntStream.range(2, items)
            .filter(item -> Arrays.binarySearch(excluded, item) < 0)
            .boxed()
            .sorted(
                Comparator.comparingDouble(
                    item ->
                        -(exactDot(embeddings, item, interest)
                            + (double) weight * logPopularity[item])))
            .limit(10)
            .toList();
    assertThat(top).extracting(ScoredItem::index).containsExactlyElementsOf(expected);
    for (ScoredItem item : top) {
      assertThat((double) item.score())
          .isCloseTo(
              exactDot(embeddings, item.index(), interest)
                  + (double) weight * logPopularity[item.index()],
              org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void manyVectorsAtOnceGiveWhatEachGivesAlone() {
    Random random = new Random(9);
    for (int items : new int[] {503, 2 * ExactTopK.BLOCK + 37}) {
      for (int dim : new int[] {7, 49}) {
        ItemEmbeddings embeddings = gaussian(random, items, dim);
        ExactTopK index = new ExactTopK(embeddings, 2);
        for (int queries = 0; queries <= 9; queries++) {
          float[] vectors = gaussianVector(random, 5 + queries * dim);
          int[] offsets = new int[queries];
          int[][] excluded = new int[queries][];
          for (int q = 0; q < queries; q++) {
            offsets[q] = 5 + (queries - 1 - q) * dim;
            excluded[q] = randomSubset(random, items);
          }

          List<List<ScoredItem>> together = index.topK(vectors, offsets, 10, excluded);

          assertThat(together).hasSize(queries);
          for (int q = 0; q < queries; q++) {
            assertThat(together.get(q))
                .as("%d items, dim %d, query %d of %d", items, dim, q, queries)
                .isEqualTo(index.topK(vectors, offsets[q], 10, excluded[q]))
                .isEqualTo(naive(embeddings, 2, vectors, offsets[q], 10, excluded[q]));
          }
        }
      }
    }
  }

  /** Every item scored with {@link ItemEmbeddings#dot}, sorted, filtered, cut at k. */
  static List<ScoredItem> naive(
      ItemEmbeddings embeddings, int first, float[] query, int offset, int k, int[] excluded) {
    return IntStream.range(first, embeddings.rows())
        .filter(item -> Arrays.binarySearch(excluded, item) < 0)
        .mapToObj(item -> new ScoredItem(item, embeddings.dot(item, query, offset)))
        .sorted(
            Comparator.comparingDouble((ScoredItem item) -> -item.score())
                .thenComparingInt(ScoredItem::index))
        .limit(k)
        .toList();
  }

  private static double exactDot(ItemEmbeddings embeddings, int item, float[] vector) {
    float[] row = new float[embeddings.dim()];
    embeddings.copyRow(item, row, 0);
    double sum = 0;
    for (int i = 0; i < row.length; i++) {
      sum += (double) row[i] * vector[i];
    }
    return sum;
  }

  private static int[] randomSubset(Random random, int items) {
    return IntStream.range(0, items).filter(item -> random.nextInt(3) == 0).toArray();
  }

  static ItemEmbeddings gaussian(Random random, int items, int dim) {
    return ItemEmbeddings.fromRowMajor(gaussianVector(random, items * dim), dim);
  }

  static float[] gaussianVector(Random random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static ItemEmbeddings randomEmbeddings(Random random) {
    ByteBuffer bytes =
        ByteBuffer.allocate(ITEMS * DIM * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < ITEMS * DIM; i++) {
      bytes.putFloat((float) random.nextGaussian());
    }
    return ItemEmbeddings.fromLittleEndian(bytes.array(), ITEMS, DIM);
  }
}
