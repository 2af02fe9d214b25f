package org.interesttracker.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.avro.state.UserInterestState;
import org.junit.jupiter.api.Test;

class PackedRecommendationsTest {
  private final UserInterestState state = InterestUpdater.emptyState();

  @Test
  void aUserNeverRecommendedToHasNoList() {
    assertThat(PackedRecommendations.itemsFor(state, "home")).isNull();
  }

  @Test
  void keepsEachScenesLatestListAndReplacesOnlyTheScenesRecommendedAgain() {
    recommend(recommendation("home", "1", "2", "3"), recommendation("search", "4"));
    recommend(recommendation("shop", "5", "6"));
    recommend(recommendation("home", "7", "8"));

    assertThat(PackedRecommendations.itemsFor(state, "home")).containsExactly("7", "8");
    assertThat(PackedRecommendations.itemsFor(state, "search")).containsExactly("4");
    assertThat(PackedRecommendations.itemsFor(state, "shop")).containsExactly("5", "6");
    assertThat(PackedRecommendations.itemsFor(state, "video")).isNull();
  }

  @Test
  void preparingTheNextListChangesNothingUntilItIsStored() {
    recommend(recommendation("home", "1"));

    var next = PackedRecommendations.with(state, List.of(recommendation("home", "2")));

    assertThat(PackedRecommendations.itemsFor(state, "home")).containsExactly("1");
    PackedRecommendations.store(state, next);
    assertThat(PackedRecommendations.itemsFor(state, "home")).containsExactly("2");
  }

  @Test
  void forgetsAnEvictedScene() {
    recommend(recommendation("home", "1"), recommendation("news", "ünïcode-ïd", ""));

    PackedRecommendations.remove(state, "home");

    assertThat(PackedRecommendations.itemsFor(state, "home")).isNull();
    assertThat(PackedRecommendations.itemsFor(state, "news")).containsExactly("ünïcode-ïd", "");
  }

  @Test
  void stateWrittenBeforeThisLayoutIsReadFromItsMapAndMovesIntoTheLogWhenNextWritten() {
    state.getLastRecommended().put("home", List.of("1", "2"));
    state.getLastRecommended().put("search", List.of("3"));
    assertThat(PackedRecommendations.itemsFor(state, "home")).containsExactly("1", "2");

    recommend(recommendation("home", "4"));

    assertThat(state.getLastRecommended()).isEmpty();
    assertThat(PackedRecommendations.itemsFor(state, "home")).containsExactly("4");
    assertThat(PackedRecommendations.itemsFor(state, "search")).containsExactly("3");
  }

  @Test
  void anIdTooLongForTheLayoutIsRefused() {
    assertThatThrownBy(
            () ->
                PackedRecommendations.with(
                    state, List.of(recommendation("home", "x".repeat(70_000)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000 UTF-8 bytes");
  }

  private void recommend(Recommendation... recommendations) {
    PackedRecommendations.store(state, PackedRecommendations.with(state, List.of(recommendations)));
  }

  static Recommendation recommendation(String scene, String... itemIds) {
    List<RecommendedItem> items = new ArrayList<>();
    for (String id : itemIds) {
      items.add(new RecommendedItem(id, 1.0f, List.of()));
    }
    return Recommendation.newBuilder()
        .setUserId("u")
        .setScene(scene)
        .setEventId("e")
        .setEventTime(0L)
        .setEmitTime(0L)
        .setModelVersion("m")
        .setColdStart(ColdStart.NONE)
        .setItems(items)
        .build();
  }
}
