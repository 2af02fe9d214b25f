package org.interesttracker.serving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The item embedding matrix, row-major [items x dim], as the model scores items with. */
public final class ItemEmbeddings {
  private final float[] values;
  private final int dim;

  private ItemEmbeddings(float[] values, int dim) {
    this.values = values;
    this.dim = dim;
  }

  /** Reads little-endian float32 values. */
  public static ItemEmbeddings fromLittleEndian(byte[] bytes, int rows, int dim) {
    float[] values = new float[rows * dim];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return new ItemEmbeddings(values, dim);
  }

  public int rows() {
    return values.length / dim;
  }

  public int dim() {
    return dim;
  }

  /** Score of item {@code row} for an interest vector: their dot product. */
  public float dot(int row, float[] vector, int offset) {
    int base = row * dim;
    float sum = 0f;
    for (int i = 0; i < dim; i++) {
      sum += values[base + i] * vector[offset + i];
    }
    return sum;
  }

  /** Cosine similarity of two items, for picking the past interaction that explains an item. */
  public float cosine(int rowA, int rowB) {
    int a = rowA * dim;
    int b = rowB * dim;
    float dot = 0f;
    float normA = 0f;
    float normB = 0f;
    for (int i = 0; i < dim; i++) {
      dot += values[a + i] * values[b + i];
      normA += values[a + i] * values[a + i];
      normB += values[b + i] * values[b + i];
    }
    return normA == 0f || normB == 0f ? 0f : dot / (float) Math.sqrt(normA * normB);
  }
}
