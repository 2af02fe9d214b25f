package org.interesttracker.interest;

import java.util.ArrayList;
import java.util.List;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.SceneInterest;
import org.interesttracker.avro.state.SceneState;
import org.interesttracker.avro.state.UserInterestState;

/**
 * Decides when a user's interest profile is sent, and builds it. A profile after every event would
 * mostly repeat the one before: an event adds its weight to a sum of many. So a profile goes out
 * when a scene is new to the user, or when a scene's strength has moved from what the latest
 * profile sent said of it by more than the profile-change share of that profile's total strength.
 * After every applied event, the latest profile a consumer holds then names every scene, and each
 * strength in it is within that share of the user's total interest. Measured against the total, a
 * minor scene's small swings are not news, while a main scene still goes out when it moves or
 * fades. A profile-change of 0 sends one after every applied event.
 *
 * <p>The strengths sent are kept per scene ({@code profiled_strength}), decayed to their profile's
 * {@code as_of}: as a scene fades, its strength leaves that value too, and once it is far enough
 * off, the next event sends it.
 */
public final class ProfileUpdates {
  private final InterestRules rules;

  public ProfileUpdates(InterestRules rules) {
    this.rules = rules;
  }

  /**
   * State written by a release that sent a profile after every event: what its consumers hold is
   * each strength decayed to the user's latest event. Call before the next event changes them.
   */
  public void upgrade(UserInterestState state) {
    for (SceneState scene : state.getScenes()) {
      if (scene.getProfiledStrength() == null) {
        scene.setProfiledStrength(decayed(scene, state.getLatestEventTime()));
      }
    }
  }

  /**
   * The profile to send after an applied event, or null if the latest profile sent still names
   * every scene within the profile-change share. Changes nothing: {@link #sent} records it.
   */
  public InterestProfile due(
      String userId, UserInterestState state, InteractionEvent trigger, long emitTime) {
    long asOf = state.getLatestEventTime();
    List<SceneState> scenes = state.getScenes();
    double[] strengths = new double[scenes.size()];
    double profiledTotal = 0;
    boolean moved = rules.profileChange() == 0;
    for (int i = 0; i < strengths.length; i++) {
      SceneState scene = scenes.get(i);
      strengths[i] = decayed(scene, asOf);
      profiledTotal += scene.getProfiledStrength();
      // Only a scene no profile has named yet was profiled at 0: every event adds a weight.
      moved |= scene.getProfiledStrength() == 0;
    }
    double tolerance = rules.profileChange() * profiledTotal;
    for (int i = 0; i < strengths.length && !moved; i++) {
      moved = Math.abs(strengths[i] - scenes.get(i).getProfiledStrength()) > tolerance;
    }
    if (!moved) {
      return null;
    }
    List<SceneInterest> profiled = new ArrayList<>(strengths.length);
    for (int i = 0; i < strengths.length; i++) {
      SceneState scene = scenes.get(i);
      profiled.add(
          new SceneInterest(
              scene.getScene(), strengths[i], scene.getLastActive(), scene.getEvents()));
    }
    return InterestProfile.newBuilder()
        .setUserId(userId)
        .setEventId(trigger.getEventId())
        .setEventTime(trigger.getTimestamp())
        .setAsOf(asOf)
        .setEmitTime(emitTime)
        .setScenes(profiled)
        .setHistoryLength(state.getHistory().size())
        .build();
  }

  /** Remembers {@code profile}, made by {@link #due} from this state as it is, as sent. */
  public void sent(UserInterestState state, InterestProfile profile) {
    // The profile lists the scenes in the state's order.
    List<SceneState> scenes = state.getScenes();
    for (int i = 0; i < scenes.size(); i++) {
      scenes.get(i).setProfiledStrength(profile.getScenes().get(i).getStrength());
    }
  }

  private double decayed(SceneState scene, long asOf) {
    return ExponentialDecay.decay(
        scene.getStrength(),
        scene.getUpdatedAt(),
        asOf,
        rules.halfLives().forScene(scene.getScene()));
  }
}
