package org.interesttracker.serving;

/**
 * The step graph's outputs for a batch, flattened row-major: the new events' cached vectors [batch
 * x cacheDim], interest vectors [batch x queries x dim], attention [batch x queries x L] (position
 * L - 1 is the new event) and popularity weights [batch x queries]. Queries are every scene in
 * scene-axis order, then the scene-blind read-out.
 */
public record StreamingStepOutputs(
    float[] newStates,
    float[] interests,
    float[] attention,
    float[] popularityWeights,
    int batch,
    int queries,
    int cacheDim,
    int dim,
    int historyLength) {

  public int newStateOffset(int row) {
    return row * cacheDim;
  }

  public int interestOffset(int row, int query) {
    return (row * queries + query) * dim;
  }

  public int attentionOffset(int row, int query) {
    return (row * queries + query) * historyLength;
  }

  public float popularityWeight(int row, int query) {
    return popularityWeights[row * queries + query];
  }

  /** Empty outputs for {@code batch} rows, to be filled by {@link #copyRow}. */
  static StreamingStepOutputs empty(
      int batch, int queries, int cacheDim, int dim, int historyLength) {
    return new StreamingStepOutputs(
        new float[batch * cacheDim],
        new float[batch * queries * dim],
        new float[batch * queries * historyLength],
        new float[batch * queries],
        batch,
        queries,
        cacheDim,
        dim,
        historyLength);
  }

  /** Copies row {@code from} of {@code source} (same sizes) into row {@code to} of this. */
  void copyRow(StreamingStepOutputs source, int from, int to) {
    System.arraycopy(source.newStates, from * cacheDim, newStates, to * cacheDim, cacheDim);
    int interestFloats = queries * dim;
    System.arraycopy(
        source.interests, from * interestFloats, interests, to * interestFloats, interestFloats);
    int attentionFloats = queries * historyLength;
    System.arraycopy(
        source.attention, from * attentionFloats, attention, to * attentionFloats, attentionFloats);
    System.arraycopy(
        source.popularityWeights, from * queries, popularityWeights, to * queries, queries);
  }
}
