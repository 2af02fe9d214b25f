package org.interesttracker.serving;

/** Which {@link CandidateIndex} serves the top-K. */
public enum CandidateIndexKind {
  /** {@link ExactTopK}: scans every item; exact, no build, linear in the catalog. */
  EXACT,
  /** {@link HnswIndex}: an HNSW graph; approximate, built at start, sub-linear per query. */
  HNSW
}
