package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ItemEmbeddingsTest {

  @Test
  void cosineAndNormMatchTheirDefinitions() {
    Random random = new Random(4);
    int dim = 13;
    ItemEmbeddings embeddings = ExactTopKTest.gaussian(random, 20, dim);
    for (int a = 0; a < 20; a++) {
      float[] rowA = row(embeddings, a);
      assertThat((double) embeddings.norm(a)).isCloseTo(Math.sqrt(dot(rowA, rowA)), offset(1e-5));
      for (int b = 0; b < 20; b++) {
        float[] rowB = row(embeddings, b);
        double cosine = dot(rowA, rowB) / Math.sqrt(dot(rowA, rowA) * dot(rowB, rowB));
        assertThat((double) embeddings.cosine(a, b)).isCloseTo(cosine, offset(1e-5));
      }
    }
  }

  @Test
  void aZeroRowHasCosineZero() {
    ItemEmbeddings embeddings = ItemEmbeddings.fromRowMajor(new float[] {0, 0, 1, 2}, 2);

    assertThat(embeddings.cosine(0, 1)).isZero();
    assertThat(embeddings.cosine(1, 1)).isCloseTo(1f, offset(1e-6f));
  }

  @Test
  void anAppendedColumnIsOneMoreDimension() {
    ItemEmbeddings base = ItemEmbeddings.fromRowMajor(new float[] {1, 2, 3, 4, 5, 6}, 3);

    ItemEmbeddings wider = ItemEmbeddings.appendColumn(base, new float[] {7, 8});

    assertThat(wider.dim()).isEqualTo(4);
    assertThat(wider.rows()).isEqualTo(2);
    assertThat(row(wider, 0)).containsExactly(1, 2, 3, 7);
    assertThat(row(wider, 1)).containsExactly(4, 5, 6, 8);
    assertThat(wider.dot(1, new float[] {1, 0, 0, 0.5f}, 0)).isEqualTo(8f);
    assertThatThrownBy(() -> ItemEmbeddings.appendColumn(base, new float[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromRowMajorCopiesAndChecksTheShape() {
    float[] values = {1, 2, 3, 4};
    ItemEmbeddings embeddings = ItemEmbeddings.fromRowMajor(values, 2);
    values[0] = 100;

    assertThat(row(embeddings, 0)).containsExactly(1, 2);
    assertThatThrownBy(() -> ItemEmbeddings.fromRowMajor(new float[5], 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static float[] row(ItemEmbeddings embeddings, int row) {
    float[] values = new float[embeddings.dim()];
    embeddings.copyRow(row, values, 0);
    return values;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
