package org.interesttracker.serving;

/**
 * How an {@link HnswIndex} is built and searched.
 *
 * @param maxConnections neighbours per node on the upper layers (twice that on the bottom one);
 *     more gives better recall and a bigger, slower-to-build graph
 * @param buildBeam candidates kept while linking a new node (HNSW's efConstruction)
 * @param searchBeam candidates kept while searching (HNSW's efSearch), at least the k asked for;
 *     the main knob trading recall for speed at query time
 * @param seed of the random layer assignment, so the same items give the same graph (with one build
 *     thread)
 * @param buildThreads threads linking nodes into the graph at build; more than one builds faster
 *     but the graph then depends on their timing
 */
public record HnswSettings(
    int maxConnections, int buildBeam, int searchBeam, long seed, int buildThreads) {
  /**
   * Lucene's default graph (16 connections, build beam 100), searched with a beam of 100, built by
   * one thread.
   */
  public static final HnswSettings DEFAULTS = new HnswSettings(16, 100, 100, 42L, 1);

  public HnswSettings {
    if (maxConnections <= 0 || buildBeam <= 0 || searchBeam <= 0) {
      throw new IllegalArgumentException(
          "connections and beams must be positive: "
              + maxConnections
              + ", "
              + buildBeam
              + ", "
              + searchBeam);
    }
  }

  public HnswSettings withSearchBeam(int beam) {
    return new HnswSettings(maxConnections, buildBeam, beam, seed, buildThreads);
  }

  public HnswSettings withBuildThreads(int threads) {
    return new HnswSettings(maxConnections, buildBeam, searchBeam, seed, threads);
  }
}
