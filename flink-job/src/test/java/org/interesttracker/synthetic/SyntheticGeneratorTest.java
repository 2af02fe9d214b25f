package org.interesttracker.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.interesttracker.avro.EventType;
import org.interesttracker.eventlog.EventLogReader;
import org.interesttracker.eventlog.EventLogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticGeneratorTest {

  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 24 * HOUR_MS;

  private static SyntheticConfig config;
  private static SyntheticDataset dataset;

  @BeforeAll
  static void generateDefaults() {
    config = SyntheticConfig.defaults();
    dataset = SyntheticGenerator.generate(config);
  }

  @Test
  void sameSeedGivesByteIdenticalOutputAndAnotherSeedDoesNot(@TempDir Path dir) throws IOException {
    SyntheticConfig small = config.withScale(7, 200, 300, 5_000);
    Path first = dir.resolve("first.csv");
    Path second = dir.resolve("second.csv");
    Path otherSeed = dir.resolve("other.csv");

    SyntheticGenerator.generate(small).writeEventLog(first);
    SyntheticGenerator.generate(small).writeEventLog(second);
    SyntheticGenerator.generate(small.withScale(8, 200, 300, 5_000)).writeEventLog(otherSeed);

    assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
    assertThat(Files.mismatch(first, otherSeed)).isNotEqualTo(-1L);
  }

  @Test
  void writesExactlyTheRequestedNumberOfEventsSortedAndReadable(@TempDir Path dir)
      throws IOException {
    Path log = dir.resolve("synthetic.csv");
    dataset.writeEventLog(log);

    try (Stream<EventLogRecord> read = EventLogReader.stream(log)) {
      assertThat(read.count()).isEqualTo(100_000);
    }
    assertThat(dataset.events()).hasSize(100_000);
    assertThat(dataset.events().get(0).timestampMs())
        .isGreaterThanOrEqualTo(config.start().toEpochMilli());
    assertThat(dataset.events().stream().map(EventLogRecord::scene).distinct())
        .containsExactlyInAnyOrder("home", "search", "video", "shop", "news");
  }

  @Test
  void writesTheGroundTruthAsJson(@TempDir Path dir) throws IOException {
    Path truthFile = dir.resolve("truth.json");
    dataset.writeTruth(truthFile);

    JsonNode truth = new ObjectMapper().readTree(truthFile.toFile());

    assertThat(truth.get("seed").asLong()).isEqualTo(42);
    assertThat(truth.get("scenes").findValuesAsText("name"))
        .containsExactly("home", "search", "video", "shop", "news");
    assertThat(truth.get("scenes").get(4).get("halfLifeSeconds").asLong()).isEqualTo(1_800);
    assertThat(truth.get("items")).hasSize(3_000);
    assertThat(truth.get("users")).hasSize(2_000);
    assertThat(truth.get("users").get(0).get("interests")).hasSize(3);
  }

  @Test
  void usersTakeUpScenesAfterHistoryElsewhere() {
    Map<String, Long> firstEventOfUser = new HashMap<>();
    Map<String, Long> firstEventInScene = new HashMap<>();
    for (EventLogRecord event : dataset.events()) {
      firstEventOfUser.putIfAbsent(event.userId(), event.timestampMs());
      firstEventInScene.putIfAbsent(event.userId() + "/" + event.scene(), event.timestampMs());
    }
    long coldSceneStarts =
        firstEventInScene.entrySet().stream()
            .filter(e -> e.getValue() > firstEventOfUser.get(e.getKey().split("/")[0]))
            .count();
    long usersMissingAScene =
        firstEventOfUser.keySet().stream()
            .filter(
                user ->
                    config.scenes().stream()
                        .anyMatch(s -> !firstEventInScene.containsKey(user + "/" + s.name())))
            .count();

    // Half the scenes a user does not start in are taken up later: well over 2,000 cold starts.
    assertThat(coldSceneStarts).isGreaterThan(2_000);
    assertThat(usersMissingAScene).isGreaterThan(firstEventOfUser.size() / 2);
    assertThat(dataset.truth().users().get(0).sceneStartMs()).isNotEmpty();
  }

  /**
   * What is planted: a past event of topic k keeps pulling choices in scene s towards k with weight
   * 2^(-age / halfLife(s)). So the chance that an event repeats the topic of the user's previous
   * event stays high over long gaps in long half-life scenes and falls to the base rate quickly in
   * short ones. The statistic averages that chance over gaps of 1-6 hours, 6-24 hours, 1-3 days and
   * 3 days or more; it must rank the scenes exactly as their half-lives do.
   */
  @Test
  void topicMemoryAcrossGapsIsOrderedLikeThePlantedHalfLives() {
    long[] gapBucketStarts = {HOUR_MS, 6 * HOUR_MS, DAY_MS, 3 * DAY_MS};
    Map<String, Integer> topicOfItem = new HashMap<>();
    dataset.truth().items().forEach(item -> topicOfItem.put(item.id(), item.topic()));
    Map<String, long[]> repeats = new HashMap<>();
    Map<String, long[]> totals = new HashMap<>();
    Map<String, EventLogRecord> previousOfUser = new HashMap<>();
    for (EventLogRecord event : dataset.events()) {
      EventLogRecord previous = previousOfUser.put(event.userId(), event);
      if (previous == null) {
        continue;
      }
      long gap = event.timestampMs() - previous.timestampMs();
      int bucket = gapBucketStarts.length - 1;
      while (bucket >= 0 && gap < gapBucketStarts[bucket]) {
        bucket--;
      }
      if (bucket < 0) {
        continue;
      }
      boolean sameTopic =
          topicOfItem.get(event.itemId()).equals(topicOfItem.get(previous.itemId()));
      totals.computeIfAbsent(event.scene(), s -> new long[gapBucketStarts.length])[bucket]++;
      repeats.computeIfAbsent(event.scene(), s -> new long[gapBucketStarts.length])[bucket] +=
          sameTopic ? 1 : 0;
    }
    Map<String, Double> memory = new HashMap<>();
    totals.forEach(
        (scene, total) -> {
          double sum = 0;
          for (int b = 0; b < total.length; b++) {
            sum += repeats.get(scene)[b] / (double) total[b];
          }
          memory.put(scene, sum / total.length);
        });

    List<String> byMemory = new ArrayList<>(memory.keySet());
    byMemory.sort(Comparator.comparing(memory::get));
    List<String> byHalfLife =
        config.scenes().stream()
            .sorted(Comparator.comparing(SceneSpec::halfLife))
            .map(SceneSpec::name)
            .toList();
    assertThat(byMemory).as("topic memory %s", memory).isEqualTo(byHalfLife);
    assertThat(memory.get("shop") - memory.get("news")).isGreaterThan(0.05);
  }

  @Test
  void eventTypeMixFollowsTheConfiguredProbabilities() {
    Map<String, Map<EventType, Long>> byScene = new HashMap<>();
    for (EventLogRecord event : dataset.events()) {
      byScene
          .computeIfAbsent(event.scene(), s -> new HashMap<>())
          .merge(event.eventType(), 1L, Long::sum);
    }
    Map<EventType, Long> shop = byScene.get("shop");
    Map<EventType, Long> news = byScene.get("news");
    double shopEvents = shop.values().stream().mapToLong(Long::longValue).sum();
    double newsEvents = news.values().stream().mapToLong(Long::longValue).sum();

    assertThat(shop.get(EventType.PURCHASE) / shopEvents).isCloseTo(0.03, within(0.006));
    assertThat(shop.get(EventType.CART) / shopEvents).isCloseTo(0.08, within(0.01));
    assertThat(news.get(EventType.LIKE) / newsEvents).isCloseTo(0.03, within(0.006));
    assertThat(news).doesNotContainKeys(EventType.CART, EventType.PURCHASE);
    // Clicks: 30% on long-term topics, 8% elsewhere; most events are on long-term topics.
    assertThat(news.get(EventType.CLICK) / newsEvents).isBetween(0.2, 0.3);
    assertThat(news.get(EventType.VIEW) / newsEvents).isBetween(0.65, 0.75);
  }
}
