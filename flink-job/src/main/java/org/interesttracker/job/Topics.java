package org.interesttracker.job;

/** Default topic names: the one place they are spelled. */
public final class Topics {
  public static final String INTERACTIONS = "interactions";
  public static final String INTEREST_PROFILES = "interest-profiles";
  public static final String RECOMMENDATIONS = "recommendations";
  public static final String DEAD_LETTERS = "dead-letters";
  public static final String CONTROL = "interest-tracker-control";
  public static final String OPERATIONS = "interest-tracker-operations";

  private Topics() {}
}
