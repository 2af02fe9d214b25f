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

  private static ItemEmbeddings randomEmbeddings(Random random) {
    ByteBuffer bytes =
        ByteBuffer.allocate(ITEMS * DIM * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < ITEMS * DIM; i++) {
      bytes.putFloat((float) random.nextGaussian());
    }
    return ItemEmbeddings.fromLittleEndian(bytes.array(), ITEMS, DIM);
  }
}
