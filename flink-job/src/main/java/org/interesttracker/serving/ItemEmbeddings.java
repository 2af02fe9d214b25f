package org.interesttracker.serving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The item embedding matrix, row-major [items x dim] in one contiguous array, as the model scores
 * items with, and each row's Euclidean norm, computed once.
 */
public final class ItemEmbeddings {
  private final float[] values;
  private final int dim;
  private final float[] norms;

  private ItemEmbeddings(float[] values, int dim) {
    if (dim <= 0) {
      throw new IllegalArgumentException("dim must be positive, got " + dim);
    }
    if (values.length % dim != 0) {
      throw new IllegalArgumentException(
          values.length + " values are not a whole number of rows of " + dim);
    }
    this.values = values;
    this.dim = dim;
    int rows = values.length / dim;
    norms = new float[rows];
    for (int row = 0; row < rows; row++) {
      norms[row] = (float) Math.sqrt(dot(row, values, row * dim));
    }
  }

  /** Reads little-endian float32 values. */
  public static ItemEmbeddings fromLittleEndian(byte[] bytes, int rows, int dim) {
    float[] values = new float[rows * dim];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return new ItemEmbeddings(values, dim);
  }

  /** A copy of {@code values}, row-major with {@code dim} values per row. */
  public static ItemEmbeddings fromRowMajor(float[] values, int dim) {
    return new ItemEmbeddings(values.clone(), dim);
  }

  /**
   * {@code base} with {@code column} appended as one more dimension: row {@code i} becomes {@code
   * [base_i, column[i]]}. Scoring it with the query {@code [interest, w]} gives {@code interest .
   * base_i + w * column[i]}, so an index over the result ranks by the embedding score plus a
   * weighted per-item bias (such as log popularity) with no special case.
   */
  public static ItemEmbeddings appendColumn(ItemEmbeddings base, float[] column) {
    int rows = base.rows();
    if (column.length != rows) {
      throw new IllegalArgumentException(
          "the column has " + column.length + " values for " + rows + " rows");
    }
    int wider = base.dim + 1;
    float[] values = new float[rows * wider];
    for (int row = 0; row < rows; row++) {
      System.arraycopy(base.values, row * base.dim, values, row * wider, base.dim);
      values[row * wider + base.dim] = column[row];
    }
    return new ItemEmbeddings(values, wider);
  }

  /** Replaces each row's last value by {@code column[row]}, and updates the norms. */
  public void replaceLastColumn(float[] column) {
    if (column.length != rows()) {
      throw new IllegalArgumentException(column.length + " values for " + rows() + " rows");
    }
    for (int row = 0; row < column.length; row++) {
      values[row * dim + dim - 1] = column[row];
      norms[row] = (float) Math.sqrt(dot(row, values, row * dim));
    }
  }

  public int rows() {
    return norms.length;
  }

  public int dim() {
    return dim;
  }

  /** The Euclidean norm of item {@code row}. */
  public float norm(int row) {
    return norms[row];
  }

  /** Copies item {@code row} into {@code target} from {@code offset}. */
  public void copyRow(int row, float[] target, int offset) {
    System.arraycopy(values, row * dim, target, offset, dim);
  }

  /**
   * Score of item {@code row} for an interest vector: their dot product with {@code vector[offset
   * ..]}, summed in index order: the JIT vectorises the multiplies of this plain loop, and split
   * sums measured slower. {@link ExactTopK} sums each item in the same order, so its scores equal
   * these.
   */
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
    float normA = norms[rowA];
    float normB = norms[rowB];
    if (normA == 0f || normB == 0f) {
      return 0f;
    }
    return dot(rowA, values, rowB * dim) / (normA * normB);
  }
}
