package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HnswIndexTest {
  private static final int DIM = 48;

  @ParameterizedTest(name = "built by {0} threads")
  @ValueSource(ints = {1, 2})
  void findsAtLeastNineInTenOfTheExactTopTenOverTwentyThousandRandomItems(int threads) {
    Random random = new Random(2024);
    int items = 20_000;
    ItemEmbeddings embeddings = ExactTopKTest.gaussian(random, items, DIM);
    CandidateIndex exact = CandidateIndexes.build(CandidateIndexKind.EXACT, embeddings, 2);
    CandidateIndex hnsw =
        CandidateIndexes.build(
            CandidateIndexKind.HNSW,
            embeddings,
            2,
            HnswSettings.DEFAULTS.withBuildThreads(threads));
    int queries = 200;
    float[] vectors = ExactTopKTest.gaussianVector(random, queries * DIM);

    int hits = 0;
    for (int q = 0; q < queries; q++) {
      Set<Integer> truth = indices(exact.topK(vectors, q * DIM, 10, new int[0]));
      List<ScoredItem> found = hnsw.topK(vectors, q * DIM, 10, new int[0]);
      assertThat(found).hasSize(10);
      hits += (int) found.stream().filter(item -> truth.contains(item.index())).count();
    }

    assertThat(hits / (double) (queries * 10)).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void scoresExactlyAndNeverReturnsExcludedOrPaddingItems() {
    Random random = new Random(8);
    int items = 2_000;
    ItemEmbeddings embeddings = ExactTopKTest.gaussian(random, items, DIM);
    HnswIndex index = HnswIndex.build(embeddings, 2, HnswSettings.DEFAULTS);
    float[] query = ExactTopKTest.gaussianVector(random, DIM);
    List<ScoredItem> unfiltered = index.topK(query, 0, 10, new int[0]);
    int[] excluded = unfiltered.stream().limit(5).mapToInt(ScoredItem::index).sorted().toArray();

    List<ScoredItem> top = index.topK(query, 0, 10, excluded);

    assertThat(top).hasSize(10);
    for (ScoredItem item : top) {
      assertThat(item.index()).isGreaterThanOrEqualTo(2);
      assertThat(Arrays.binarySearch(excluded, item.index())).isNegative();
      assertThat(item.score()).isEqualTo(embeddings.dot(item.index(), query, 0));
    }
    assertThat(top)
        .extracting(ScoredItem::score)
        .isSortedAccordingTo((a, b) -> Float.compare(b, a));
  }

  @Test
  void aSmallCatalogGivesTheExactAnswer() {
    Random random = new Random(3);
    for (int items : new int[] {2, 3, 7, 40}) {
      ItemEmbeddings embeddings = ExactTopKTest.gaussian(random, items, 5);
      CandidateIndex index = CandidateIndexes.build(CandidateIndexKind.HNSW, embeddings, 2);
      float[] query = ExactTopKTest.gaussianVector(random, 5);
      int[] excluded = items > 3 ? new int[] {3} : new int[0];

      assertThat(index.topK(query, 0, 10, excluded))
          .as("%d items", items)
          .isEqualTo(ExactTopKTest.naive(embeddings, 2, query, 0, 10, excluded));
    }
  }

  @Test
  void ranksByInnerProductNotCosine() {
    // Item 2 points along the query but is short; item 3 is off to the side but long.
    float[] rows = {0, 0, 0, 0, 1, 0, 3, 3, 0, 1};
    ItemEmbeddings embeddings = ItemEmbeddings.fromRowMajor(rows, 2);
    CandidateIndex index = HnswIndex.build(embeddings, 2, HnswSettings.DEFAULTS);

    assertThat(index.topK(new float[] {1, 0}, 0, 3, new int[0]))
        .extracting(ScoredItem::index)
        .containsExactly(3, 2, 4);
  }

  private static Set<Integer> indices(List<ScoredItem> items) {
    return items.stream().map(ScoredItem::index).collect(Collectors.toCollection(HashSet::new));
  }
}
