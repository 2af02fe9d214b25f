package org.interesttracker.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.interesttracker.interest.InterestUpdater.Outcome.APPLIED;
import static org.interesttracker.interest.InterestUpdater.Outcome.DUPLICATE;
import static org.interesttracker.interest.InterestUpdater.Outcome.TOO_LATE;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.SceneInterest;
import org.interesttracker.avro.state.HistoryEntry;
import org.interesttracker.avro.state.RecentEvent;
import org.interesttracker.avro.state.UserInterestState;
import org.junit.jupiter.api.Test;

class InterestUpdaterTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;
  private static final Duration SEARCH_HALF_LIFE = Duration.ofHours(2);
  private static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(1);
  private static final SceneHalfLives HALF_LIVES =
      new SceneHalfLives(DEFAULT_HALF_LIFE, Map.of("search", SEARCH_HALF_LIFE));

  private static final Duration LATENESS = Duration.ofMinutes(30);
  private static final DedupRules DEDUP = new DedupRules(Duration.ofHours(1), 1000);

  private final InterestUpdater updater = updater(DEDUP);
  private final UserInterestState state = InterestUpdater.emptyState();

  @Test
  void strengthMatchesTheClosedFormSum() {
    updater.apply(state, event("e1", "search", EventType.VIEW, T0));
    updater.apply(state, event("e2", "search", EventType.CLICK, T0 + HOUR));
    updater.apply(state, event("e3", "search", EventType.PURCHASE, T0 + 5 * HOUR));

    double expected =
        1.0 * Math.pow(2, -5.0 / 2) + 2.0 * Math.pow(2, -4.0 / 2) + 5.0 * Math.pow(2, 0);
    assertThat(strength(profile(), "search")).isCloseTo(expected, within(1e-9));
  }

  @Test
  void fadedInterestRecoversWhenItRecurs() {
    updater.apply(state, event("e1", "search", EventType.CLICK, T0));
    updater.apply(state, event("e2", "home", EventType.VIEW, T0 + 20 * HOUR));
    double faded = strength(profile(), "search");
    assertThat(faded).isCloseTo(2.0 * Math.pow(2, -10), within(1e-12));

    updater.apply(state, event("e3", "search", EventType.CLICK, T0 + 20 * HOUR));

    assertThat(strength(profile(), "search")).isCloseTo(faded + 2.0, within(1e-12));
  }

  @Test
  void outOfOrderEventWithinLatenessGivesTheSameStateAsInOrder() {
    InteractionEvent first = event("e1", "search", EventType.VIEW, T0);
    InteractionEvent second = event("e2", "search", EventType.LIKE, T0 + 10 * MINUTE);
    InteractionEvent third = event("e3", "search", EventType.CLICK, T0 + 20 * MINUTE);
    UserInterestState inOrder = InterestUpdater.emptyState();
    List.of(first, second, third).forEach(e -> updater.apply(inOrder, e));

    assertThat(updater.apply(state, first)).isEqualTo(APPLIED);
    assertThat(updater.apply(state, third)).isEqualTo(APPLIED);
    assertThat(updater.apply(state, second)).isEqualTo(APPLIED);

    assertThat(state.getHistory()).isEqualTo(inOrder.getHistory());
    assertThat(strength(profile(state), "search"))
        .isCloseTo(strength(profile(inOrder), "search"), within(1e-12));
    assertThat(state.getLatestEventTime()).isEqualTo(T0 + 20 * MINUTE);
  }

  @Test
  void eventLaterThanTheLatenessIsRefusedAndChangesNothing() {
    updater.apply(state, event("e1", "search", EventType.VIEW, T0 + HOUR));
    UserInterestState before = UserInterestState.newBuilder(state).build();

    assertThat(updater.apply(state, event("e2", "search", EventType.VIEW, T0))).isEqualTo(TOO_LATE);

    assertThat(state).isEqualTo(before);
  }

  @Test
  void reDeliveredEventChangesNothing() {
    InteractionEvent click = event("e1", "search", EventType.CLICK, T0);
    updater.apply(state, click);
    UserInterestState before = UserInterestState.newBuilder(state).build();

    assertThat(updater.apply(state, click)).isEqualTo(DUPLICATE);

    assertThat(state).isEqualTo(before);
  }

  @Test
  void historyKeepsTheLatestEventsOldestFirst() {
    for (int i = 0; i < 8; i++) {
      updater.apply(state, event("e" + i, "home", EventType.VIEW, T0 + i * MINUTE));
    }

    assertThat(state.getHistory())
        .extracting(HistoryEntry::getItemId)
        .containsExactly("item-e3", "item-e4", "item-e5", "item-e6", "item-e7");
  }

  @Test
  void dropsAReDeliveryWithinTheHorizonHoweverManyEventsCameSince() {
    updater.apply(state, event("e0", "home", EventType.VIEW, T0));
    for (int i = 1; i <= 500; i++) {
      updater.apply(state, event("e" + i, "home", EventType.VIEW, T0 + i * 1000L));
    }

    assertThat(updater.apply(state, event("e0", "home", EventType.VIEW, T0))).isEqualTo(DUPLICATE);
  }

  @Test
  void forgetsIdsBeyondTheHorizonAndRefusesSoOldARedeliveryAsTooLate() {
    updater.apply(state, event("e0", "home", EventType.VIEW, T0));
    updater.apply(state, event("e1", "home", EventType.VIEW, T0 + 2 * HOUR));

    assertThat(RecentEvents.of(state).times()).hasSize(1);
    assertThat(updater.apply(state, event("e0", "home", EventType.VIEW, T0))).isEqualTo(TOO_LATE);
  }

  @Test
  void remembersAtMostTheCapOfEventsPerUserKeepingTheNewest() {
    InterestUpdater capped = updater(new DedupRules(Duration.ofHours(1), 3));
    for (int i = 0; i < 8; i++) {
      capped.apply(state, event("e" + i, "home", EventType.VIEW, T0 + i * MINUTE));
    }

    assertThat(RecentEvents.of(state).times())
        .containsExactly(T0 + 5 * MINUTE, T0 + 6 * MINUTE, T0 + 7 * MINUTE);
    // Past the cap, an old re-delivery within the lateness is no longer recognised: the documented
    // trade-off of bounded state.
    assertThat(capped.apply(state, event("e0", "home", EventType.VIEW, T0 + 8 * MINUTE)))
        .isEqualTo(APPLIED);
  }

  @Test
  void movesTheEventsOfEarlierStateIntoThePackedLog() {
    state.getRecentEvents().add(new RecentEvent(RecentEvents.fingerprint("e0"), T0));
    state.setLatestEventTime(T0);

    assertThat(updater.apply(state, event("e0", "home", EventType.VIEW, T0))).isEqualTo(DUPLICATE);
    assertThat(updater.apply(state, event("e1", "home", EventType.VIEW, T0 + MINUTE)))
        .isEqualTo(APPLIED);

    assertThat(state.getRecentEvents()).isEmpty();
    assertThat(RecentEvents.of(state).times()).containsExactly(T0, T0 + MINUTE);
    assertThat(updater.apply(state, event("e0", "home", EventType.VIEW, T0))).isEqualTo(DUPLICATE);
  }

  @Test
  void upgradesTheEventIdsOfEarlierStateToFingerprints() {
    updater.apply(state, event("e1", "home", EventType.VIEW, T0));
    state.setRecentLog(ByteBuffer.allocate(0));
    state.setRecentEventIds(new ArrayList<>(List.of("e0", "e1")));

    assertThat(updater.apply(state, event("e2", "home", EventType.VIEW, T0 + MINUTE)))
        .isEqualTo(APPLIED);

    assertThat(state.getRecentEventIds()).isEmpty();
    assertThat(RecentEvents.of(state).times()).hasSize(3);
    assertThat(updater.apply(state, event("e0", "home", EventType.VIEW, T0))).isEqualTo(DUPLICATE);
    assertThat(updater.apply(state, event("e1", "home", EventType.VIEW, T0))).isEqualTo(DUPLICATE);
  }

  @Test
  void leastRecentlyActiveSceneIsEvictedBeyondTheLimit() {
    updater.apply(state, event("e1", "home", EventType.VIEW, T0));
    PackedRecommendations.store(
        state,
        PackedRecommendations.with(
            state, List.of(PackedRecommendationsTest.recommendation("home", "item-9"))));
    updater.apply(state, event("e2", "search", EventType.VIEW, T0 + MINUTE));
    updater.apply(state, event("e3", "shop", EventType.VIEW, T0 + 2 * MINUTE));

    assertThat(profile().getScenes())
        .extracting(SceneInterest::getScene)
        .containsExactly("search", "shop");
    assertThat(PackedRecommendations.itemsFor(state, "home")).isNull();
  }

  @Test
  void newSceneUsesTheDefaultHalfLife() {
    updater.apply(state, event("e1", "brand-new-tab", EventType.VIEW, T0));
    updater.apply(state, event("e2", "home", EventType.VIEW, T0 + DEFAULT_HALF_LIFE.toMillis()));

    assertThat(strength(profile(), "brand-new-tab")).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void profileReportsLastActivityAndCounts() {
    updater.apply(state, event("e1", "home", EventType.VIEW, T0));
    updater.apply(state, event("e2", "home", EventType.VIEW, T0 + MINUTE));

    InterestProfile profile = profile();
    assertThat(profile.getAsOf()).isEqualTo(T0 + MINUTE);
    assertThat(profile.getHistoryLength()).isEqualTo(2);
    assertThat(profile.getScenes().get(0).getLastActive()).isEqualTo(T0 + MINUTE);
    assertThat(profile.getScenes().get(0).getEvents()).isEqualTo(2);
  }

  /** The strengths as a profile sent after every event shows them. */
  private InterestProfile profile() {
    return profile(state);
  }

  private static InterestProfile profile(UserInterestState user) {
    return new ProfileUpdates(rules(DEDUP))
        .due("u", user, event("trigger", "home", EventType.VIEW, T0), 0);
  }

  static double strength(InterestProfile profile, String scene) {
    return profile.getScenes().stream()
        .filter(s -> s.getScene().equals(scene))
        .findFirst()
        .orElseThrow()
        .getStrength();
  }

  static InteractionEvent event(String id, String scene, EventType type, long time) {
    return InteractionEvent.newBuilder()
        .setEventId(id)
        .setUserId("u")
        .setItemId("item-" + id)
        .setScene(scene)
        .setEventType(type)
        .setTimestamp(time)
        .build();
  }

  private static InterestUpdater updater(DedupRules dedup) {
    return new InterestUpdater(rules(dedup));
  }

  private static InterestRules rules(DedupRules dedup) {
    return new InterestRules(5, dedup, 2, LATENESS, HALF_LIVES, 0);
  }
}
