package org.interesttracker.popularity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.interesttracker.serving.PopularItem;
import org.interesttracker.serving.Vocabulary;
import org.junit.jupiter.api.Test;

class LivePopularityTableTest {
  private static final long HOUR_MS = 3_600_000L;
  private static final PopularityRule RULE = new PopularityRule(1.0, HOUR_MS, 0.1, 0);
  private static final Vocabulary ITEMS =
      new Vocabulary(List.of("<pad>", "<unknown>", "a", "b"), 1);

  /** The shares of items a and b in a snapshot, the floor taken off. */
  private static double[] shares(LivePopularityTable table, long boundaryMs) {
    float[] logShares = table.logShares(ITEMS, 2, boundaryMs);
    double floor = LivePopularityTable.FLOOR_SHARE_OF_UNIFORM / 2;
    assertThat(Math.exp(logShares[0])).isCloseTo(floor, offset(1e-7));
    return new double[] {Math.exp(logShares[2]) - floor, Math.exp(logShares[3]) - floor};
  }

  @Test
  void aSnapshotDecaysEveryWeightToItsBoundaryAndSharesAmongTheVocabularyOnly() {
    LivePopularityTable table = new LivePopularityTable(RULE);
    table.add(new PopularityUpdate("a", 1.0, HOUR_MS));
    table.add(new PopularityUpdate("b", 1.0, 2 * HOUR_MS));
    table.add(new PopularityUpdate("not-in-the-vocabulary", 5.0, 2 * HOUR_MS));
    table.advanceBase(2 * HOUR_MS);
    // At 2 h, a is one half-life old: 0.5 against b's 1.
    assertThat(shares(table, 2 * HOUR_MS))
        .containsExactly(new double[] {1 / 3.0, 2 / 3.0}, offset(1e-6));
  }

  @Test
  void anUpdateForALaterBoundaryIsReadOnlyBySnapshotsAtOrAfterIt() {
    LivePopularityTable table = new LivePopularityTable(RULE);
    table.add(new PopularityUpdate("a", 1.0, HOUR_MS));
    table.advanceBase(HOUR_MS);
    table.add(new PopularityUpdate("b", 1.0, 3 * HOUR_MS)); // one instance is ahead of another
    assertThat(shares(table, 2 * HOUR_MS)).containsExactly(new double[] {1.0, 0.0}, offset(1e-6));
    assertThat(shares(table, 3 * HOUR_MS)).containsExactly(new double[] {0.2, 0.8}, offset(1e-6));
    assertThatThrownBy(() -> table.logShares(ITEMS, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anItemBelowTheMinimumWeightLeavesTheTable() {
    LivePopularityTable table = new LivePopularityTable(RULE);
    table.add(new PopularityUpdate("a", 1.0, HOUR_MS));
    table.add(new PopularityUpdate("b", 1.0, HOUR_MS));
    table.advanceBase(HOUR_MS);
    assertThat(table.entries()).isEqualTo(2);
    table.add(new PopularityUpdate("b", 1.0, 5 * HOUR_MS));
    table.advanceBase(5 * HOUR_MS); // a is 1/16 < 0.1 now
    assertThat(table.entries()).isEqualTo(1);
    assertThat(shares(table, 5 * HOUR_MS)).containsExactly(new double[] {0.0, 1.0}, offset(1e-6));
  }

  @Test
  void aRestoredTableGivesTheSameSnapshots() {
    LivePopularityTable table = new LivePopularityTable(RULE);
    table.add(new PopularityUpdate("a", 2.0, HOUR_MS));
    table.advanceBase(HOUR_MS);
    table.add(new PopularityUpdate("b", 1.5, 2 * HOUR_MS));
    LivePopularityTable restored = LivePopularityTable.restore(RULE, table.toUpdates());
    for (long boundary : new long[] {HOUR_MS, 2 * HOUR_MS, 4 * HOUR_MS}) {
      assertThat(restored.logShares(ITEMS, 2, boundary))
          .containsExactly(table.logShares(ITEMS, 2, boundary));
    }
  }

  @Test
  void aWeightPublishedIntervalByIntervalEqualsTheRuleAppliedToEachEvent() {
    PopularityRule rule = new PopularityRule(2.0, HOUR_MS, 0.0, 0);
    ItemWeight weight = new ItemWeight();
    weight.publish(rule, new long[] {HOUR_MS - 1, 0}, HOUR_MS);
    weight.publish(rule, new long[] {3 * HOUR_MS - 1}, 3 * HOUR_MS);
    // Events at 0 and 1 h - 1 ms and 3 h - 1 ms, all decayed to 3 h.
    double expected = Math.pow(2, -1.5) + Math.pow(2, -1 / 7_200_000.0) * (1 + 0.5);
    assertThat(weight.atMs).isEqualTo(3 * HOUR_MS);
    assertThat(weight.weight).isCloseTo(expected, offset(1e-9));
  }

  @Test
  void aScenesListRanksItsOwnWeightsWithWaitingUpdatesLaidOverAndTiesByIndex() {
    LivePopularityTable table = new LivePopularityTable(RULE);
    table.add(new PopularityUpdate("a", 5.0, HOUR_MS)); // over every scene
    table.add(new PopularityUpdate("shop", "a", 1.0, HOUR_MS));
    table.add(new PopularityUpdate("shop", "b", 1.0, HOUR_MS));
    table.add(new PopularityUpdate("shop", "not-in-the-vocabulary", 9.0, HOUR_MS));
    table.add(new PopularityUpdate("news", "b", 3.0, HOUR_MS));
    table.advanceBase(HOUR_MS);
    assertThat(names(table.mostPopular("shop", ITEMS, 2, HOUR_MS, 5))).containsExactly("a", "b");
    assertThat(names(table.mostPopular("news", ITEMS, 2, HOUR_MS, 5))).containsExactly("b");
    assertThat(names(table.mostPopular(null, ITEMS, 2, HOUR_MS, 5))).containsExactly("a");
    assertThat(table.mostPopular("video", ITEMS, 2, HOUR_MS, 5)).isEmpty();

    table.add(new PopularityUpdate("shop", "b", 4.0, 2 * HOUR_MS)); // still waiting
    assertThat(names(table.mostPopular("shop", ITEMS, 2, 2 * HOUR_MS, 1))).containsExactly("b");
    assertThat(table.mostPopular("shop", ITEMS, 2, 2 * HOUR_MS, 5).get(1).count())
        .isCloseTo(0.5, offset(1e-9)); // a, one half-life on
    assertThat(names(table.mostPopular("shop", ITEMS, 2, HOUR_MS, 5))).containsExactly("a", "b");
  }

  @Test
  void aScenesWeightsLeaveBelowTheMinimumAndSurviveARestore() {
    LivePopularityTable table = new LivePopularityTable(RULE);
    table.add(new PopularityUpdate("shop", "a", 1.0, HOUR_MS));
    table.add(new PopularityUpdate("shop", "b", 4.0, HOUR_MS));
    LivePopularityTable restored = LivePopularityTable.restore(RULE, table.toUpdates());
    restored.advanceBase(4 * HOUR_MS); // a: 1/8 still above 0.1, b: 1/2
    assertThat(names(restored.mostPopular("shop", ITEMS, 2, 4 * HOUR_MS, 5)))
        .containsExactly("b", "a");
    restored.advanceBase(5 * HOUR_MS); // a: 1/16 below the minimum
    assertThat(restored.entries()).isEqualTo(1);
    assertThat(restored.toUpdates()).extracting(update -> update.scene).containsExactly("shop");
  }

  private static List<String> names(List<PopularItem> items) {
    return items.stream().map(PopularItem::itemId).toList();
  }
}
