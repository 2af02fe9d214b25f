package org.interesttracker.synthetic;

import java.util.List;
import java.util.Map;

/**
 * What the generator planted, written as JSON next to the event log so a model can be checked
 * against it: the scene half-lives, the topic-choice weights, every item's topic and scenes, and
 * every user's long-term interests, their changes over time and when each scene was taken up.
 */
public record GroundTruth(
    long seed,
    long startMs,
    long endMs,
    int topics,
    double longTermWeight,
    double recencyWeight,
    double explorationWeight,
    List<Scene> scenes,
    List<Item> items,
    List<User> users) {

  /** A scene and its planted half-life. */
  public record Scene(
      String name, long halfLifeSeconds, double cartProbability, double purchaseProbability) {}

  /** An item's topic, the scenes it is shown in (primary first) and its popularity weight. */
  public record Item(String id, int topic, List<String> scenes, double popularity) {}

  /** A long-term topic and its weight (a user's weights sum to 1). */
  public record Interest(int topic, double weight) {}

  /**
   * A long-term topic replaced by another at {@code timestampMs}; {@code returning} when the new
   * one is a topic the user had dropped before.
   */
  public record InterestChange(long timestampMs, int dropped, int added, boolean returning) {}

  /**
   * A user as planted.
   *
   * @param activity relative session rate (mean 1 over users)
   * @param interests long-term interests at the start
   * @param interestChanges later replacements, in time order
   * @param sceneStartMs for each scene the user ever visits, when it became available to them (the
   *     start time for the 1-2 scenes they begin in); scenes absent here are never visited
   */
  public record User(
      String id,
      double activity,
      List<Interest> interests,
      List<InterestChange> interestChanges,
      Map<String, Long> sceneStartMs) {}
}
