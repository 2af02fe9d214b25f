package org.interesttracker.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.interesttracker.eventlog.EventLogOrder;
import org.interesttracker.eventlog.EventLogRecord;

/**
 * Generates a multi-scene interaction log with known structure: per-scene interest half-lives,
 * long-term topics shared across scenes, scenes users take up over time (so a user's first event in
 * a scene follows history elsewhere), drifting and returning interests. See {@link UserSimulation}
 * for how each user's events are drawn and {@link SyntheticConfig} for the knobs.
 */
public final class SyntheticGenerator {

  private SyntheticGenerator() {}

  public static SyntheticDataset generate(SyntheticConfig config) {
    // One seeded root, split in a fixed order: the catalog first, then user 1, 2, ... so the
    // output depends on the seed alone.
    SplittableRandom root = new SplittableRandom(config.seed());
    ItemCatalog catalog = ItemCatalog.generate(config, root.split());
    List<EventLogRecord> events = new ArrayList<>();
    List<GroundTruth.User> users = new ArrayList<>(config.users());
    for (int user = 1; user <= config.users(); user++) {
      users.add(new UserSimulation(config, catalog, user, root.split()).simulate(events::add));
    }
    events.sort(EventLogOrder.RECORDS);
    List<EventLogRecord> kept =
        events.size() > config.events() ? events.subList(0, (int) config.events()) : events;
    return new SyntheticDataset(kept, truth(config, catalog, users));
  }

  private static GroundTruth truth(
      SyntheticConfig config, ItemCatalog catalog, List<GroundTruth.User> users) {
    List<SceneSpec> scenes = config.scenes();
    long startMs = config.start().toEpochMilli();
    return new GroundTruth(
        config.seed(),
        startMs,
        startMs + config.duration().toMillis(),
        config.topics(),
        config.longTermWeight(),
        config.recencyWeight(),
        config.explorationWeight(),
        scenes.stream()
            .map(
                s ->
                    new GroundTruth.Scene(
                        s.name(),
                        s.halfLife().toSeconds(),
                        s.cartProbability(),
                        s.purchaseProbability()))
            .toList(),
        catalog.items().stream()
            .map(
                item ->
                    new GroundTruth.Item(
                        Integer.toString(item.id()),
                        item.topic(),
                        item.scenes().stream().map(s -> scenes.get(s).name()).toList(),
                        item.popularity()))
            .toList(),
        users);
  }
}
