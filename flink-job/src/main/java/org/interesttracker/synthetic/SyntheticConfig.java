package org.interesttracker.synthetic;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every knob of the synthetic multi-scene generator; {@link #defaults()} is the data of the local
 * demo and of the tests.
 *
 * @param seed the only source of randomness: the same configuration gives byte-identical output
 * @param users number of users, ids "1".."users"
 * @param items number of items, ids "1".."items"; at least {@code topics * scenes}
 * @param topics number of latent topics; every item has one
 * @param start time of the earliest possible event
 * @param duration span over which sessions are spread
 * @param events how many events to output: session rates are set so that about 10% more are
 *     generated over {@code duration}, and the first {@code events} in event-log order are kept (so
 *     the log ends a little before {@code start + duration}); fewer only if the random draw falls
 *     short
 * @param scenes the scenes, each with its planted half-life and purchase rates
 * @param interestsPerUser long-term topics per user, shared by all scenes (this is what carries
 *     interest across scenes)
 * @param longTermWeight weight {@code a} of the long-term interests in the topic choice (the
 *     long-term weights of a user sum to 1)
 * @param recencyWeight weight {@code b} of the decayed count of the user's past events per topic
 *     (decayed with the half-life of the scene where the topic is chosen); it must be large next to
 *     {@code longTermWeight} for the half-lives to show in the data: the default 3.0 lets a single
 *     recent event outweigh the whole long-term profile, so short-lived scenes follow the last
 *     minutes and long-lived ones the last days (with 0.5 a model could not recover the short
 *     half-lives)
 * @param explorationWeight weight spread evenly over all topics, so any topic can be picked
 * @param extraSceneProbability chance that an item is also shown in each scene other than its
 *     primary one
 * @param popularityExponent items of a topic have popularity {@code 1 / rank^exponent} (Zipf)
 * @param sceneAdoptionProbability chance that a user takes up each scene beyond the 1-2 it starts
 *     in, at a uniformly random time; otherwise the user never visits it
 * @param meanEventsPerSession mean of the (geometric) number of events in a session; the default 6
 *     gives more events that follow recent ones closely, where the short half-lives show
 * @param meanGapInSession mean (exponential) time between events of one session
 * @param stayInSceneProbability chance that the next event of a session stays in the same scene
 * @param driftProbability chance, at each session start, that one long-term topic is replaced
 * @param returnProbability chance that a replacement is one of the user's earlier dropped topics (a
 *     returning interest) rather than a new one
 * @param strongInterestClickProbability chance of a CLICK on a topic the user holds long-term
 * @param otherClickProbability chance of a CLICK on any other topic
 * @param likeProbability chance of a LIKE, in every scene
 */
public record SyntheticConfig(
    long seed,
    int users,
    int items,
    int topics,
    Instant start,
    Duration duration,
    long events,
    List<SceneSpec> scenes,
    int interestsPerUser,
    double longTermWeight,
    double recencyWeight,
    double explorationWeight,
    double extraSceneProbability,
    double popularityExponent,
    double sceneAdoptionProbability,
    double meanEventsPerSession,
    Duration meanGapInSession,
    double stayInSceneProbability,
    double driftProbability,
    double returnProbability,
    double strongInterestClickProbability,
    double otherClickProbability,
    double likeProbability) {

  public SyntheticConfig {
    scenes = List.copyOf(scenes);
    require(users > 0 && items > 0 && topics > 0, "users, items and topics must be positive");
    require(!scenes.isEmpty(), "at least one scene is needed");
    require(
        scenes.stream().map(SceneSpec::name).distinct().count() == scenes.size(),
        "scene names must be unique");
    require(
        items >= topics * scenes.size(),
        "items must be at least topics x scenes, so every topic has an item in every scene");
    require(events > 0, "events must be positive");
    require(
        interestsPerUser > 0 && interestsPerUser <= topics,
        "interestsPerUser must be between 1 and topics");
    require(meanEventsPerSession >= 1, "meanEventsPerSession must be at least 1");
    require(duration.toMillis() > 0, "duration must be positive");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * The default world: 2,000 users, 3,000 items in 30 topics, 100,000 events over 30 days from
   * 2024-01-01 in five scenes whose half-lives differ by 4x or more: news 30 minutes, search 2
   * hours, video 12 hours, home 2 days, shop 7 days. Recency (weight 3) outweighs the long-term
   * interests (weight 1) and sessions hold 6 events on average, so the half-lives are a learnable
   * signal, not only a planted one.
   */
  public static SyntheticConfig defaults() {
    return new SyntheticConfig(
        42L,
        2_000,
        3_000,
        30,
        Instant.parse("2024-01-01T00:00:00Z"),
        Duration.ofDays(30),
        100_000,
        List.of(
            new SceneSpec("home", Duration.ofDays(2), 0.005, 0.002),
            new SceneSpec("search", Duration.ofHours(2), 0.01, 0.004),
            new SceneSpec("video", Duration.ofHours(12), 0.0, 0.0),
            new SceneSpec("shop", Duration.ofDays(7), 0.08, 0.03),
            new SceneSpec("news", Duration.ofMinutes(30), 0.0, 0.0)),
        3,
        1.0,
        3.0,
        0.05,
        0.3,
        1.0,
        0.5,
        6.0,
        Duration.ofMinutes(2),
        0.85,
        0.03,
        0.5,
        0.30,
        0.08,
        0.03);
  }

  /** A copy with another seed and size, the knobs the command line exposes. */
  public SyntheticConfig withScale(long newSeed, int newUsers, int newItems, long newEvents) {
    return new SyntheticConfig(
        newSeed,
        newUsers,
        newItems,
        topics,
        start,
        duration,
        newEvents,
        scenes,
        interestsPerUser,
        longTermWeight,
        recencyWeight,
        explorationWeight,
        extraSceneProbability,
        popularityExponent,
        sceneAdoptionProbability,
        meanEventsPerSession,
        meanGapInSession,
        stayInSceneProbability,
        driftProbability,
        returnProbability,
        strongInterestClickProbability,
        otherClickProbability,
        likeProbability);
  }
}
