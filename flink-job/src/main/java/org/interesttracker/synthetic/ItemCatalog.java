package org.interesttracker.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic items: each has one topic, a Zipf popularity within its topic, a primary scene
 * (listed first) and possibly more scenes, so one topic is on show in several scenes. Answers
 * "which item does a user pick for this topic in this scene".
 */
final class ItemCatalog {

  /** One item as planted; {@code id} is its 1-based number. */
  record Item(int id, int topic, List<Integer> scenes, double popularity) {}

  private final List<Item> items;

  /** Per scene and topic: the item ids shown there and their cumulative popularity. */
  private final int[][][] idsBySceneTopic;

  private final double[][][] cumulativeBySceneTopic;

  private ItemCatalog(List<Item> items, int sceneCount, int topics) {
    this.items = List.copyOf(items);
    idsBySceneTopic = new int[sceneCount][topics][];
    cumulativeBySceneTopic = new double[sceneCount][topics][];
    for (int scene = 0; scene < sceneCount; scene++) {
      for (int topic = 0; topic < topics; topic++) {
        int s = scene;
        int t = topic;
        List<Item> shown =
            items.stream().filter(i -> i.topic() == t && i.scenes().contains(s)).toList();
        idsBySceneTopic[scene][topic] = shown.stream().mapToInt(Item::id).toArray();
        double[] cumulative = new double[shown.size()];
        double sum = 0;
        for (int i = 0; i < shown.size(); i++) {
          sum += shown.get(i).popularity();
          cumulative[i] = sum;
        }
        cumulativeBySceneTopic[scene][topic] = cumulative;
      }
    }
  }

  static ItemCatalog generate(SyntheticConfig config, SplittableRandom random) {
    int sceneCount = config.scenes().size();
    int[] itemsSoFarByTopic = new int[config.topics()];
    List<Item> items = new ArrayList<>(config.items());
    int coveringItems = config.topics() * sceneCount;
    for (int id = 1; id <= config.items(); id++) {
      // The first topics x scenes items put every topic in every scene (as its most popular items),
      // so a user's interest can be served wherever they are; the rest are drawn at random.
      boolean covering = id <= coveringItems;
      int topic = covering ? (id - 1) % config.topics() : random.nextInt(config.topics());
      int primary = covering ? (id - 1) / config.topics() : random.nextInt(sceneCount);
      int rank = ++itemsSoFarByTopic[topic];
      List<Integer> scenes = new ArrayList<>(List.of(primary));
      for (int scene = 0; scene < sceneCount; scene++) {
        if (scene != primary && random.nextDouble() < config.extraSceneProbability()) {
          scenes.add(scene);
        }
      }
      double popularity = 1.0 / Math.pow(rank, config.popularityExponent());
      items.add(new Item(id, topic, List.copyOf(scenes), popularity));
    }
    return new ItemCatalog(items, sceneCount, config.topics());
  }

  List<Item> items() {
    return items;
  }

  /** Draws an item of {@code topic} shown in {@code scene} by popularity. */
  int drawItem(int scene, int topic, SplittableRandom random) {
    return idsBySceneTopic[scene][topic][
        WeightedChoice.drawCumulative(cumulativeBySceneTopic[scene][topic], random)];
  }
}
