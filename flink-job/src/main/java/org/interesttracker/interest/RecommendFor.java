package org.interesttracker.interest;

/** Which scenes get a recommendation after each event. */
public enum RecommendFor {
  /** The scene the event happened in. */
  EVENT_SCENE,
  /** Every scene the model knows, plus the event's scene. */
  ALL_SCENES
}
