package org.interesttracker.interest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.state.HistoryEntry;
import org.interesttracker.avro.state.SceneState;
import org.interesttracker.avro.state.UserInterestState;

/**
 * Folds one user's events into their interest state: drops re-deliveries (as {@link DedupRules}
 * says), refuses events later than the allowed lateness, places the others in time order in the
 * bounded history and adds their weight to the scene's decayed strength. Plain Java, so the rules
 * are tested without Flink; all times are event times.
 */
public final class InterestUpdater {

  /** What became of an event. */
  public enum Outcome {
    APPLIED,
    DUPLICATE,
    TOO_LATE
  }

  private final InterestRules rules;

  public InterestUpdater(InterestRules rules) {
    this.rules = rules;
  }

  public static UserInterestState emptyState() {
    return UserInterestState.newBuilder()
        .setScenes(new ArrayList<>())
        .setHistory(new ArrayList<>())
        .setRecentEventIds(new ArrayList<>())
        .setRecentEvents(new ArrayList<>())
        .setLastRecommended(new HashMap<>())
        .setLatestEventTime(Long.MIN_VALUE)
        .setExpiryTimer(Long.MIN_VALUE)
        .build();
  }

  public Outcome apply(UserInterestState state, InteractionEvent event) {
    RecentEvents recent = RecentEvents.of(state);
    long idHash = RecentEvents.fingerprint(event.getEventId());
    if (recent.contains(idHash)) {
      return Outcome.DUPLICATE;
    }
    long time = event.getTimestamp();
    if (!state.getHistory().isEmpty()
        && time < state.getLatestEventTime() - rules.allowedLateness().toMillis()) {
      return Outcome.TOO_LATE;
    }
    addToStrength(
        sceneState(state, event.getScene()), time, EventWeights.weight(event.getEventType()));
    insertIntoHistory(state, event);
    state.setLatestEventTime(Math.max(state.getLatestEventTime(), time));
    recent.add(idHash, time);
    recent.forget(
        state.getLatestEventTime() - rules.dedup().horizon().toMillis(), rules.dedup().maxEvents());
    recent.storeIn(state);
    return Outcome.APPLIED;
  }

  private SceneState sceneState(UserInterestState state, String scene) {
    List<SceneState> scenes = state.getScenes();
    for (SceneState existing : scenes) {
      if (existing.getScene().equals(scene)) {
        return existing;
      }
    }
    if (scenes.size() >= rules.maxScenesPerUser()) {
      SceneState evicted = scenes.remove(leastRecentlyActive(scenes));
      // Everything kept per scene goes with it, or the state would grow with every scene ever seen.
      PackedRecommendations.remove(state, evicted.getScene());
    }
    // No profile has included the scene: to a consumer its strength is 0.
    SceneState created = new SceneState(scene, 0.0, Long.MIN_VALUE, Long.MIN_VALUE, 0L, 0.0);
    scenes.add(created);
    return created;
  }

  private static int leastRecentlyActive(List<SceneState> scenes) {
    int oldest = 0;
    for (int i = 1; i < scenes.size(); i++) {
      if (scenes.get(i).getLastActive() < scenes.get(oldest).getLastActive()) {
        oldest = i;
      }
    }
    return oldest;
  }

  private void addToStrength(SceneState scene, long time, double weight) {
    var halfLife = rules.halfLives().forScene(scene.getScene());
    if (scene.getEvents() == 0 || time >= scene.getUpdatedAt()) {
      double carried =
          scene.getEvents() == 0
              ? 0.0
              : ExponentialDecay.decay(scene.getStrength(), scene.getUpdatedAt(), time, halfLife);
      scene.setStrength(carried + weight);
      scene.setUpdatedAt(time);
    } else {
      // A late event: its weight, decayed to the time the strength refers to, is exactly what it
      // would have contributed had it arrived in order.
      scene.setStrength(
          scene.getStrength()
              + ExponentialDecay.decay(weight, time, scene.getUpdatedAt(), halfLife));
    }
    scene.setLastActive(Math.max(scene.getLastActive(), time));
    scene.setEvents(scene.getEvents() + 1);
  }

  private void insertIntoHistory(UserInterestState state, InteractionEvent event) {
    List<HistoryEntry> history = state.getHistory();
    int position = history.size();
    while (position > 0 && history.get(position - 1).getTimestamp() > event.getTimestamp()) {
      position--;
    }
    history.add(
        position,
        new HistoryEntry(
            event.getItemId(), event.getScene(), event.getEventType(), event.getTimestamp()));
    while (history.size() > rules.historyLength()) {
      history.remove(0);
    }
  }
}
