package org.interesttracker.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.interesttracker.serving.ExactTopK;
import org.interesttracker.serving.ItemEmbeddings;

/**
 * Exact top-K queries per second over a large random catalog, to show where the full scan stops
 * being cheap next to the model (the catalog of the default model is small).
 */
final class CatalogScan {
  private static final int FIRST_ITEM = 2;
  private static final int QUERIES = 200;

  private CatalogScan() {}

  static double queriesPerSecond(int items, int dim, int k, int rounds) {
    Random random = new Random(42);
    ByteBuffer bytes =
        ByteBuffer.allocate(items * dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < items * dim; i++) {
      bytes.putFloat((float) random.nextGaussian());
    }
    ExactTopK index =
        new ExactTopK(ItemEmbeddings.fromLittleEndian(bytes.array(), items, dim), FIRST_ITEM);
    float[] vectors = new float[QUERIES * dim];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = (float) random.nextGaussian();
    }
    int[] nothingExcluded = new int[0];
    List<Double> rates = new ArrayList<>(rounds);
    for (int round = -1; round < rounds; round++) {
      long start = System.nanoTime();
      for (int query = 0; query < QUERIES; query++) {
        index.topK(vectors, query * dim, k, nothingExcluded);
      }
      if (round >= 0) {
        rates.add(QUERIES / ((System.nanoTime() - start) / 1e9));
      }
    }
    return Median.of(rates);
  }
}
