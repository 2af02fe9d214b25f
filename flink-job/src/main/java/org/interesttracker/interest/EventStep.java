package org.interesttracker.interest;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.List;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.serving.ModelCoverage;
import org.interesttracker.serving.Recommender;

/**
 * Everything one event does to its user, in plain Java, owning the whole state record: drop a
 * re-delivery, refuse an event too late, place it in the history and decay the scene strengths
 * ({@link InterestUpdater}), run the model and recommend for the target scenes with reasons and
 * cold-start markers ({@link Recommender}), remember what was recommended, and build the profile.
 * The job's keyed function, the tests' sequential pass and the benchmarks all run this class, so
 * they compute the same thing.
 */
public final class EventStep implements AutoCloseable {

  /**
   * What one event did to its user.
   *
   * @param state the user's state after the event; unchanged unless the event was applied
   * @param previousRecommendation the user's previous recommendation in the event's scene, if any:
   *     what the event scores
   * @param recommendations one per target scene, if applied
   * @param profile the user's decayed strengths, if applied
   * @param inferenceMicros time spent recommending
   */
  public record Result(
      InterestUpdater.Outcome outcome,
      UserInterestState state,
      List<String> previousRecommendation,
      List<Recommendation> recommendations,
      InterestProfile profile,
      long inferenceMicros) {

    public boolean applied() {
      return outcome == InterestUpdater.Outcome.APPLIED;
    }
  }

  private final InterestUpdater updater;
  private final Recommender recommender;
  private final RecommendFor recommendFor;

  public EventStep(InterestRules rules, Recommender recommender, RecommendFor recommendFor) {
    this.updater = new InterestUpdater(rules);
    this.recommender = recommender;
    this.recommendFor = recommendFor;
  }

  /**
   * Applies {@code event} to {@code state} (null for a user never seen) and computes its outputs.
   * If this throws, the event must be treated as not applied: a caller keeps the state it had.
   */
  public Result apply(String userId, UserInterestState state, InteractionEvent event, long now)
      throws OrtException {
    UserInterestState user = state != null ? state : InterestUpdater.emptyState();
    InterestUpdater.Outcome outcome = updater.apply(user, event);
    if (outcome != InterestUpdater.Outcome.APPLIED) {
      return new Result(outcome, user, null, List.of(), null, 0L);
    }
    List<String> previous = user.getLastRecommended().get(event.getScene());
    long start = System.nanoTime();
    List<Recommendation> recommendations =
        recommender
            .recommend(
                List.of(
                    new Recommender.Request(userId, user.getHistory(), event, targetScenes(event))))
            .get(0);
    long inferenceMicros = (System.nanoTime() - start) / 1000;
    for (Recommendation recommendation : recommendations) {
      user.getLastRecommended().put(recommendation.getScene(), itemIds(recommendation));
    }
    InterestProfile profile = updater.profile(userId, user, event, now);
    return new Result(outcome, user, previous, recommendations, profile, inferenceMicros);
  }

  /** A fresh count of how much of a stream the step's model knows. */
  public ModelCoverage newCoverage() {
    return recommender.newCoverage();
  }

  public String modelVersion() {
    return recommender.modelVersion();
  }

  @Override
  public void close() throws OrtException {
    recommender.close();
  }

  /** The event's scene, or every scene the model knows plus the event's if it is new. */
  private List<String> targetScenes(InteractionEvent event) {
    List<String> modelScenes = recommender.scenes();
    if (recommendFor == RecommendFor.EVENT_SCENE) {
      return List.of(event.getScene());
    }
    if (modelScenes.contains(event.getScene())) {
      return modelScenes;
    }
    List<String> scenes = new ArrayList<>(modelScenes);
    scenes.add(event.getScene());
    return scenes;
  }

  private static List<String> itemIds(Recommendation recommendation) {
    List<String> ids = new ArrayList<>(recommendation.getItems().size());
    for (RecommendedItem item : recommendation.getItems()) {
      ids.add(item.getItemId());
    }
    return ids;
  }
}
