package org.interesttracker.job;

/**
 * Names of the job's outcome counters. Each is a Flink metric (in the web UI and any metrics
 * reporter) and an accumulator of the same name (read at the end of a run through {@code
 * JobClient#getAccumulators()}), so a report can check that events in = events applied + dead
 * letters + duplicates.
 */
public final class JobCounters {
  public static final String EVENTS_IN = "events-in";
  public static final String EVENTS_APPLIED = "events-applied";
  public static final String PROFILES_OUT = "profiles-out";
  public static final String RECOMMENDATIONS_OUT = "recommendations-out";
  public static final String DUPLICATES = "duplicates-dropped";
  public static final String DEAD_LETTERS = "dead-letters";

  /** Job-wide averages, shown on the job's page of the web UI; not part of the count check. */
  public static final String ONLINE_HIT_RATE = "online-hit-rate";

  public static final String ONLINE_NDCG = "online-ndcg";

  /** The same for the popularity baseline's recommendations at the same events. */
  public static final String POPULARITY_HIT_RATE = "popularity-hit-rate";

  public static final String POPULARITY_NDCG = "popularity-ndcg";
  public static final String MODEL_COVERAGE = "model-coverage";

  private JobCounters() {}
}
