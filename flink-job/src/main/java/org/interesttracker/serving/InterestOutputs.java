package org.interesttracker.serving;

/**
 * The model's outputs for a batch, flattened row-major: interest vectors [batch x scenes x dim] and
 * attention weights [batch x scenes x historyLength].
 */
public record InterestOutputs(
    float[] interests, float[] attention, int batch, int scenes, int dim, int length) {

  /** Offset of the interest vector of {@code scene} for batch row {@code row}. */
  public int interestOffset(int row, int scene) {
    return (row * scenes + scene) * dim;
  }

  /** Attention weight that row's scene vector puts on history position {@code position}. */
  public float attention(int row, int scene, int position) {
    return attention[(row * scenes + scene) * length + position];
  }
}
