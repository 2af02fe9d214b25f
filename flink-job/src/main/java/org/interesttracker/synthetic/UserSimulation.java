package org.interesttracker.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.interesttracker.avro.EventType;
import org.interesttracker.eventlog.EventLogRecord;

/**
 * Simulates one user over the configured period and reports the events and what was planted.
 *
 * <p>Sessions arrive as a Poisson process scaled by the user's activity; a session has a geometric
 * number of events with exponential gaps, mostly in one scene. At time t in scene s the topic is
 * drawn with weight {@code a * longTerm(k) + b * sum_j 2^(-(t - t_j) / halfLife(s)) + exploration /
 * topics}, the sum running over the user's past events j of topic k in any scene: an interest fades
 * at the pace of the scene where it is used, and lights back up when it recurs.
 */
final class UserSimulation {

  /** Spread of the log-normal activity: the busiest few percent are about 4x the mean. */
  private static final double ACTIVITY_SIGMA = 0.75;

  /** Session rates are set to generate this much more than the requested events, then cut. */
  static final double EVENT_SURPLUS = 1.1;

  private final SyntheticConfig config;
  private final ItemCatalog catalog;
  private final SplittableRandom random;
  private final String userId;
  private final int sceneCount;
  private final int topics;

  private final double activity;
  private final int[] interestTopics;
  private final double[] interestWeights;
  private final List<GroundTruth.Interest> initialInterests = new ArrayList<>();
  private final List<Integer> droppedTopics = new ArrayList<>();
  private final List<GroundTruth.InterestChange> interestChanges = new ArrayList<>();

  /** When each scene becomes available to this user; Long.MAX_VALUE for never. */
  private final long[] sceneStartMs;

  /** Per target scene and topic: the decayed count of past events, as of {@code lastEventMs}. */
  private final double[][] recency;

  private long lastEventMs = Long.MIN_VALUE;

  UserSimulation(
      SyntheticConfig config, ItemCatalog catalog, int userNumber, SplittableRandom random) {
    this.config = config;
    this.catalog = catalog;
    this.random = random;
    this.userId = Integer.toString(userNumber);
    this.sceneCount = config.scenes().size();
    this.topics = config.topics();
    this.activity =
        Math.exp(ACTIVITY_SIGMA * random.nextGaussian() - ACTIVITY_SIGMA * ACTIVITY_SIGMA / 2);
    this.interestTopics = distinctTopics(config.interestsPerUser());
    this.interestWeights = normalizedExponentials(config.interestsPerUser());
    for (int i = 0; i < interestTopics.length; i++) {
      initialInterests.add(new GroundTruth.Interest(interestTopics[i], interestWeights[i]));
    }
    this.sceneStartMs = sceneStartTimes();
    this.recency = new double[sceneCount][topics];
  }

  /** Generates the user's events in time order and returns the user's ground truth. */
  GroundTruth.User simulate(Consumer<EventLogRecord> sink) {
    long startMs = config.start().toEpochMilli();
    long endMs = startMs + config.duration().toMillis();
    double expectedSessions =
        EVENT_SURPLUS * config.events() / ((double) config.users() * config.meanEventsPerSession());
    double meanSessionGapMs = config.duration().toMillis() / (expectedSessions * activity);
    long t = startMs + exponential(meanSessionGapMs);
    while (t < endMs) {
      t = session(t, endMs, sink);
      t += exponential(meanSessionGapMs);
    }
    return truth();
  }

  /** Runs one session from {@code t}; returns the time of its last event. */
  private long session(long t, long endMs, Consumer<EventLogRecord> sink) {
    maybeDriftInterest(t);
    int scene = drawAvailableScene(t, -1);
    int events = geometric(config.meanEventsPerSession());
    for (int i = 0; i < events; i++) {
      if (i > 0) {
        t += exponential(config.meanGapInSession().toMillis());
        if (t >= endMs) {
          break;
        }
        if (random.nextDouble() >= config.stayInSceneProbability()) {
          scene = drawAvailableScene(t, scene);
        }
      }
      sink.accept(event(t, scene));
    }
    return t;
  }

  private EventLogRecord event(long t, int scene) {
    decayRecencyTo(t);
    int topic = drawTopic(scene);
    int item = catalog.drawItem(scene, topic, random);
    for (int s = 0; s < sceneCount; s++) {
      recency[s][topic] += 1;
    }
    SceneSpec spec = config.scenes().get(scene);
    return new EventLogRecord(
        t, userId, Integer.toString(item), spec.name(), drawEventType(spec, topic));
  }

  private void decayRecencyTo(long t) {
    if (lastEventMs != Long.MIN_VALUE) {
      for (int s = 0; s < sceneCount; s++) {
        double halfLifeMs = config.scenes().get(s).halfLife().toMillis();
        double factor = Math.pow(2, -(t - lastEventMs) / halfLifeMs);
        for (int k = 0; k < topics; k++) {
          recency[s][k] *= factor;
        }
      }
    }
    lastEventMs = t;
  }

  private int drawTopic(int scene) {
    double[] weights = new double[topics];
    double exploration = config.explorationWeight() / topics;
    for (int k = 0; k < topics; k++) {
      weights[k] = config.recencyWeight() * recency[scene][k] + exploration;
    }
    for (int i = 0; i < interestTopics.length; i++) {
      weights[interestTopics[i]] += config.longTermWeight() * interestWeights[i];
    }
    return WeightedChoice.draw(weights, random);
  }

  private EventType drawEventType(SceneSpec scene, int topic) {
    double clickProbability =
        holdsLongTerm(topic)
            ? config.strongInterestClickProbability()
            : config.otherClickProbability();
    double u = random.nextDouble();
    if ((u -= scene.purchaseProbability()) < 0) {
      return EventType.PURCHASE;
    }
    if ((u -= scene.cartProbability()) < 0) {
      return EventType.CART;
    }
    if ((u -= config.likeProbability()) < 0) {
      return EventType.LIKE;
    }
    return u < clickProbability ? EventType.CLICK : EventType.VIEW;
  }

  private boolean holdsLongTerm(int topic) {
    for (int held : interestTopics) {
      if (held == topic) {
        return true;
      }
    }
    return false;
  }

  /** Occasionally replaces one long-term topic, sometimes by one dropped earlier. */
  private void maybeDriftInterest(long t) {
    if (random.nextDouble() >= config.driftProbability()) {
      return;
    }
    int slot = random.nextInt(interestTopics.length);
    int dropped = interestTopics[slot];
    boolean returning =
        !droppedTopics.isEmpty() && random.nextDouble() < config.returnProbability();
    int added;
    if (returning) {
      added = droppedTopics.remove(random.nextInt(droppedTopics.size()));
    } else {
      added = drawTopicNotHeld();
      if (added < 0) {
        return; // every topic is held already: nothing new to drift to
      }
    }
    droppedTopics.add(dropped);
    interestTopics[slot] = added;
    interestChanges.add(new GroundTruth.InterestChange(t, dropped, added, returning));
  }

  /** A topic the user does not hold long-term, or -1 when they hold them all. */
  private int drawTopicNotHeld() {
    if (topics == interestTopics.length) {
      return -1;
    }
    double[] candidates = new double[topics];
    for (int k = 0; k < topics; k++) {
      candidates[k] = holdsLongTerm(k) ? 0 : 1;
    }
    return WeightedChoice.draw(candidates, random);
  }

  /** A scene available at {@code t}, other than {@code current} when there is a choice. */
  private int drawAvailableScene(long t, int current) {
    double[] weights = new double[sceneCount];
    for (int s = 0; s < sceneCount; s++) {
      weights[s] = sceneStartMs[s] <= t && s != current ? 1 : 0;
    }
    boolean anyOther = false;
    for (double w : weights) {
      anyOther |= w > 0;
    }
    return anyOther ? WeightedChoice.draw(weights, random) : current;
  }

  private long[] sceneStartTimes() {
    long startMs = config.start().toEpochMilli();
    long[] times = new long[sceneCount];
    Arrays.fill(times, Long.MAX_VALUE);
    int initialScenes = 1 + random.nextInt(Math.min(2, sceneCount));
    for (int i = 0; i < initialScenes; i++) {
      int scene;
      do {
        scene = random.nextInt(sceneCount);
      } while (times[scene] == startMs);
      times[scene] = startMs;
    }
    for (int s = 0; s < sceneCount; s++) {
      if (times[s] != startMs && random.nextDouble() < config.sceneAdoptionProbability()) {
        times[s] = startMs + (long) (random.nextDouble() * config.duration().toMillis());
      }
    }
    return times;
  }

  private int[] distinctTopics(int count) {
    int[] chosen = new int[count];
    for (int i = 0; i < count; i++) {
      int topic;
      boolean taken;
      do {
        topic = random.nextInt(topics);
        taken = false;
        for (int j = 0; j < i; j++) {
          taken |= chosen[j] == topic;
        }
      } while (taken);
      chosen[i] = topic;
    }
    return chosen;
  }

  /** Weights from i.i.d. exponentials, normalized: a uniform draw from the simplex. */
  private double[] normalizedExponentials(int count) {
    double[] weights = new double[count];
    double sum = 0;
    for (int i = 0; i < count; i++) {
      weights[i] = -Math.log(1 - random.nextDouble());
      sum += weights[i];
    }
    for (int i = 0; i < count; i++) {
      weights[i] /= sum;
    }
    return weights;
  }

  private long exponential(double meanMs) {
    return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * meanMs));
  }

  private int geometric(double mean) {
    double p = 1 / mean;
    return p >= 1 ? 1 : 1 + (int) Math.floor(Math.log(1 - random.nextDouble()) / Math.log(1 - p));
  }

  private GroundTruth.User truth() {
    Map<String, Long> sceneStarts = new LinkedHashMap<>();
    for (int s = 0; s < sceneCount; s++) {
      if (sceneStartMs[s] != Long.MAX_VALUE) {
        sceneStarts.put(config.scenes().get(s).name(), sceneStartMs[s]);
      }
    }
    return new GroundTruth.User(
        userId, activity, List.copyOf(initialInterests), List.copyOf(interestChanges), sceneStarts);
  }
}
