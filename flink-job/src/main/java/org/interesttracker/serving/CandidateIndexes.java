package org.interesttracker.serving;

/** Builds the {@link CandidateIndex} of a kind over the items of a model. */
public final class CandidateIndexes {
  private CandidateIndexes() {}

  /**
   * The index of {@code kind} for a model's scores: exact over its scoring embeddings; an HNSW
   * graph over the plain embeddings, rescored with the popularity column if the model has one.
   */
  public static CandidateIndex forModel(CandidateIndexKind kind, ModelBundle model) {
    ItemEmbeddings scoring = model.scoringEmbeddings();
    if (kind == CandidateIndexKind.EXACT || scoring == model.embeddings()) {
      return build(kind, scoring, model.firstItemIndex());
    }
    return new RescoredIndex(build(kind, model.embeddings(), model.firstItemIndex()), scoring);
  }

  /** The index of {@code kind} over the items from {@code firstItemIndex} on, HNSW at defaults. */
  public static CandidateIndex build(
      CandidateIndexKind kind, ItemEmbeddings embeddings, int firstItemIndex) {
    return build(kind, embeddings, firstItemIndex, HnswSettings.DEFAULTS);
  }

  /** The index of {@code kind}; {@code hnsw} applies to {@link CandidateIndexKind#HNSW} only. */
  public static CandidateIndex build(
      CandidateIndexKind kind, ItemEmbeddings embeddings, int firstItemIndex, HnswSettings hnsw) {
    return switch (kind) {
      case EXACT -> new ExactTopK(embeddings, firstItemIndex);
      case HNSW -> HnswIndex.build(embeddings, firstItemIndex, hnsw);
    };
  }
}
