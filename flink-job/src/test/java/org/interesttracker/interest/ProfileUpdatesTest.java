package org.interesttracker.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.interesttracker.interest.InterestUpdaterTest.strength;

import java.time.Duration;
import java.util.Map;
import org.interesttracker.avro.EventType;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.SceneInterest;
import org.interesttracker.avro.state.SceneState;
import org.interesttracker.avro.state.UserInterestState;
import org.junit.jupiter.api.Test;

class ProfileUpdatesTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long MINUTE = 60_000L;
  private static final Duration HALF_LIFE = Duration.ofHours(1);
  private static final double CHANGE = 0.1;

  private final InterestUpdater updater = new InterestUpdater(rules(CHANGE));
  private final ProfileUpdates profiles = new ProfileUpdates(rules(CHANGE));
  private final UserInterestState state = InterestUpdater.emptyState();
  private int events;

  @Test
  void sendsTheFirstProfileAndOneWheneverAStrengthMovedMoreThanTheShareOfTheTotal() {
    // 5, 10, 15: each more than 10% of the total sent before.
    for (int i = 0; i < 3; i++) {
      assertThat(apply("home", EventType.PURCHASE, T0)).isNotNull();
    }
    // 16 is 1 from the 15 sent, 17 is 2: more than 1.5.
    assertThat(apply("home", EventType.VIEW, T0)).isNull();
    InterestProfile moved = apply("home", EventType.VIEW, T0);

    assertThat(moved).isNotNull();
    assertThat(strength(moved, "home")).isCloseTo(17.0, within(1e-12));
    assertThat(moved.getScenes().get(0).getEvents()).isEqualTo(5);
    assertThat(moved.getAsOf()).isEqualTo(T0);
  }

  @Test
  void aSceneNewToTheUserIsSentAtOnceButAMinorScenesSwingIsNot() {
    for (int i = 0; i < 5; i++) {
      apply("home", EventType.PURCHASE, T0);
    }

    InterestProfile withShop = apply("shop", EventType.VIEW, T0);
    // Shop doubles, from 1 to 2: less than 10% of the user's 26.
    InterestProfile minorSwing = apply("shop", EventType.VIEW, T0);

    assertThat(withShop).isNotNull();
    assertThat(withShop.getScenes())
        .extracting(SceneInterest::getScene)
        .containsExactly("home", "shop");
    assertThat(minorSwing).isNull();
  }

  @Test
  void aFadingMainSceneIsSentOnceItLostMoreThanTheShare() {
    for (int i = 0; i < 5; i++) {
      apply("home", EventType.PURCHASE, T0);
    }
    apply("shop", EventType.VIEW, T0);

    // Ten minutes take 10.9% off both: home's 25 loses 2.7, more than 10% of the 26 sent.
    InterestProfile faded = apply("shop", EventType.VIEW, T0 + 10 * MINUTE);

    assertThat(faded).isNotNull();
    double decay = Math.pow(2, -10.0 / 60);
    assertThat(strength(faded, "home")).isCloseTo(25.0 * decay, within(1e-9));
    assertThat(strength(faded, "shop")).isCloseTo(decay + 1.0, within(1e-9));
  }

  @Test
  void aProfileIsDueUntilItIsSent() {
    InteractionEvent event = event("home", EventType.PURCHASE, T0);
    updater.apply(state, event);

    assertThat(profiles.due("u", state, event, 0)).isNotNull();
    InterestProfile profile = profiles.due("u", state, event, 0);
    assertThat(profile).isNotNull();
    profiles.sent(state, profile);
    assertThat(profiles.due("u", state, event, 0)).isNull();
  }

  @Test
  void aShareOfZeroSendsAProfileAfterEveryEvent() {
    ProfileUpdates everyEvent = new ProfileUpdates(rules(0));
    for (int i = 0; i < 20; i++) {
      InteractionEvent event = event("home", EventType.PURCHASE, T0);
      updater.apply(state, event);
      InterestProfile profile = everyEvent.due("u", state, event, 0);
      assertThat(profile).isNotNull();
      everyEvent.sent(state, profile);
    }
  }

  @Test
  void stateOfAReleaseThatSentEveryProfileCarriesOnFromTheLatestOne() {
    for (int i = 0; i < 5; i++) {
      apply("home", EventType.PURCHASE, T0);
      apply("shop", EventType.PURCHASE, T0 + 60 * MINUTE);
    }
    state.getScenes().forEach(scene -> scene.setProfiledStrength(null));

    profiles.upgrade(state);

    // What that release's profile after the latest event said: home a half-life later.
    assertThat(state.getScenes())
        .extracting(SceneState::getProfiledStrength)
        .containsExactly(12.5, 25.0);
    assertThat(apply("shop", EventType.VIEW, T0 + 60 * MINUTE)).isNull();
  }

  /** Applies an event and returns the profile it sends, or null. */
  private InterestProfile apply(String scene, EventType type, long time) {
    InteractionEvent event = event(scene, type, time);
    assertThat(updater.apply(state, event)).isEqualTo(InterestUpdater.Outcome.APPLIED);
    InterestProfile profile = profiles.due("u", state, event, 0);
    if (profile != null) {
      profiles.sent(state, profile);
    }
    return profile;
  }

  private InteractionEvent event(String scene, EventType type, long time) {
    events++;
    return InteractionEvent.newBuilder()
        .setEventId("e" + events)
        .setUserId("u")
        .setItemId("item-" + events)
        .setScene(scene)
        .setEventType(type)
        .setTimestamp(time)
        .build();
  }

  private static InterestRules rules(double change) {
    return new InterestRules(
        50,
        new DedupRules(Duration.ofHours(1), 1000),
        8,
        Duration.ofHours(2),
        new SceneHalfLives(HALF_LIFE, Map.of()),
        change);
  }
}
