package org.interesttracker.interest;

import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.InterestProfile;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.state.UserInterestState;
import org.interesttracker.popularity.LivePopularityTable;
import org.interesttracker.popularity.PopularityRule;
import org.interesttracker.serving.ModelCoverage;
import org.interesttracker.serving.Recommender;
import org.interesttracker.serving.StreamingUserCache;

/**
 * Everything one event does to its user, in plain Java, owning the whole state record: drop a
 * re-delivery, refuse an event too late, place it in the history and decay the scene strengths
 * ({@link InterestUpdater}), run the model and recommend for the target scenes with reasons and
 * cold-start markers ({@link Recommender}), remember what was recommended, and build the profile
 * when one is due ({@link ProfileUpdates}). The job's keyed operator, the tests' sequential pass
 * and the benchmarks all run this class, so they compute the same thing. Events of many users share
 * one model call: {@link #begin} each, then {@link #complete} them together.
 */
public final class EventStep implements AutoCloseable {

  /**
   * What one event did to its user.
   *
   * @param state the user's state after the event; unchanged unless the event was applied
   * @param previousRecommendation the user's previous recommendation in the event's scene, if any:
   *     what the event scores
   * @param popularBefore the popularity baseline's recommendation at that previous event, if there
   *     was one
   * @param recommendations one per target scene, if applied
   * @param profile the user's decayed strengths, if applied and one is due ({@link
   *     ProfileUpdates}), else null
   * @param inferenceMicros time spent recommending, the model call's share for this event
   * @param batchSize events in the model call
   * @param failure why the event could not be completed, or null: then nothing of the event may be
   *     kept, its state included
   */
  public record Result(
      InterestUpdater.Outcome outcome,
      UserInterestState state,
      List<String> previousRecommendation,
      List<String> popularBefore,
      List<Recommendation> recommendations,
      InterestProfile profile,
      long inferenceMicros,
      int batchSize,
      Exception failure) {

    public boolean applied() {
      return outcome == InterestUpdater.Outcome.APPLIED && failure == null;
    }

    public boolean failed() {
      return failure != null;
    }
  }

  /**
   * An event whose state rules have run, waiting for its model step: {@link #complete} finishes a
   * batch of them, one per user.
   */
  public static final class Pending {
    private final String userId;
    private final UserInterestState state;
    private final InteractionEvent event;
    private final InterestUpdater.Outcome outcome;
    private final StreamingUserCache cache;
    private final StreamingUserCache cacheBefore;
    // Replaced when a failed batch is retried one event at a time.
    private PackedHistory history;

    private Pending(
        String userId,
        UserInterestState state,
        InteractionEvent event,
        InterestUpdater.Outcome outcome,
        StreamingUserCache cache,
        PackedHistory history) {
      this.userId = userId;
      this.state = state;
      this.event = event;
      this.outcome = outcome;
      this.cache = cache;
      this.cacheBefore = cache.copy();
      this.history = history;
    }

    /** True when the event changes the user and needs a model step. */
    public boolean applied() {
      return outcome == InterestUpdater.Outcome.APPLIED;
    }
  }

  private final InterestUpdater updater;
  private final ProfileUpdates profiles;
  private final Recommender recommender;
  private final RecommendFor recommendFor;

  public EventStep(InterestRules rules, Recommender recommender, RecommendFor recommendFor) {
    if (rules.historyLength() != recommender.keptEvents()) {
      // The reasons and a rebuilt model state read the history the model state mirrors.
      throw new IllegalArgumentException(
          "the state keeps "
              + rules.historyLength()
              + " events, the model "
              + recommender.keptEvents());
    }
    this.updater = new InterestUpdater(rules);
    this.profiles = new ProfileUpdates(rules);
    this.recommender = recommender;
    this.recommendFor = recommendFor;
  }

  /**
   * Applies {@code event} to {@code state} (null for a user never seen) and computes its outputs.
   * If this throws, the event must be treated as not applied: a caller keeps the state it had.
   */
  public Result apply(String userId, UserInterestState state, InteractionEvent event, long now)
      throws Exception {
    Result result = complete(List.of(begin(userId, state, event)), now).get(0);
    if (result.failed()) {
      throw result.failure();
    }
    return result;
  }

  /**
   * Runs the state rules for one event (de-duplication, lateness, history, scene strengths), which
   * changes {@code state} (null for a user never seen) if the event applies. If this throws, the
   * event must be treated as not applied.
   */
  public Pending begin(String userId, UserInterestState state, InteractionEvent event) {
    UserInterestState user = state != null ? state : InterestUpdater.emptyState();
    PackedHistory history = PackedHistory.unpack(user);
    StreamingUserCache cache = modelState(user);
    profiles.upgrade(user);
    InterestUpdater.Outcome outcome = updater.apply(user, event);
    return new Pending(userId, user, event, outcome, cache, history);
  }

  /**
   * Finishes events begun with {@link #begin}, at most one per user, with one model call for all
   * that applied: steps each user's model state, recommends and builds any profile due. Results are
   * in the order of {@code pending}. If the shared call fails, each event runs alone from the model
   * state it began with, so only an event that fails by itself is marked failed.
   */
  public List<Result> complete(List<Pending> pending, long now) {
    try {
      return completeTogether(pending, now);
    } catch (Exception shared) {
      List<Result> results = new ArrayList<>(pending.size());
      for (Pending event : pending) {
        event.cache.restore(event.cacheBefore);
        // An event finished before the failure has its history packed already.
        event.history = PackedHistory.unpack(event.state);
        try {
          results.add(completeTogether(List.of(event), now).get(0));
        } catch (Exception failure) {
          results.add(
              new Result(event.outcome, event.state, null, null, List.of(), null, 0L, 1, failure));
        }
      }
      return results;
    }
  }

  private List<Result> completeTogether(List<Pending> pending, long now) throws OrtException {
    List<Recommender.Request> requests = new ArrayList<>(pending.size());
    for (Pending event : pending) {
      if (event.applied()) {
        requests.add(
            new Recommender.Request(
                event.userId,
                event.state.getHistory(),
                event.cache,
                event.event,
                targetScenes(event.event)));
      }
    }
    long start = System.nanoTime();
    List<List<Recommendation>> recommendations = recommender.recommend(requests);
    int batch = requests.size();
    long inferenceMicros = batch == 0 ? 0L : (System.nanoTime() - start) / 1000 / batch;
    Stored[] stored = new Stored[pending.size()];
    int next = 0;
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).applied()) {
        stored[i] = store(pending.get(i), requests.get(next), recommendations.get(next), now);
        next++;
      }
    }
    // Nothing below can fail, so an event retried alone after a failure finds the recommendation
    // it began with, and a profile is remembered as sent only when it is.
    List<Result> results = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      Pending event = pending.get(i);
      if (event.applied()) {
        results.add(finish(event, stored[i], inferenceMicros, batch));
      } else {
        results.add(
            new Result(event.outcome, event.state, null, null, List.of(), null, 0L, 0, null));
      }
    }
    return results;
  }

  /**
   * What {@link #store} prepared for {@link #finish}.
   *
   * @param recommendations the event's, one per target scene
   * @param previous the user's previous recommendation in the event's scene, or null
   * @param popularBefore the popularity baseline's at that event, or null
   * @param recommended every scene's latest recommendation, this event's included
   * @param profile the profile due, or null
   */
  private record Stored(
      List<Recommendation> recommendations,
      List<String> previous,
      List<String> popularBefore,
      ByteBuffer recommended,
      InterestProfile profile) {}

  /**
   * Writes the user's model state and history into the state record and prepares the rest:
   * everything of an event that can fail.
   */
  private Stored store(
      Pending event, Recommender.Request request, List<Recommendation> recommendations, long now) {
    UserInterestState user = event.state;
    ByteBuffer modelState = ByteBuffer.allocate(event.cache.serializedBytes());
    event.cache.writeTo(modelState);
    user.setModelState(modelState.flip());
    user.setModelVersion(recommender.modelVersion());
    InterestProfile profile = profiles.due(event.userId, user, event.event, now);
    List<String> previous = PackedRecommendations.itemsFor(user, event.event.getScene());
    // Before the history is packed: the baseline reads the request's unpacked entries.
    List<String> popularBefore = previous == null ? null : recommender.popularBefore(request);
    event.history.pack(user);
    return new Stored(
        recommendations,
        previous,
        popularBefore,
        PackedRecommendations.with(user, recommendations),
        profile);
  }

  private Result finish(Pending event, Stored stored, long inferenceMicros, int batch) {
    UserInterestState user = event.state;
    PackedRecommendations.store(user, stored.recommended());
    if (stored.profile() != null) {
      profiles.sent(user, stored.profile());
    }
    return new Result(
        event.outcome,
        user,
        stored.previous(),
        stored.popularBefore(),
        stored.recommendations(),
        stored.profile(),
        inferenceMicros,
        batch,
        null);
  }

  /**
   * The user's model state as this model left it, else rebuilt from the kept history: after a new
   * model version, for state written before the model kept any, and should the two ever disagree (a
   * failed event leaves the heap backend's state object half-updated, see docs/guarantees.md).
   */
  private StreamingUserCache modelState(UserInterestState user) {
    ByteBuffer stored = user.getModelState();
    if (stored != null && recommender.modelVersion().equals(user.getModelVersion())) {
      StreamingUserCache cache = recommender.readCache(stored.duplicate());
      if (cache.events() == user.getHistory().size()) {
        return cache;
      }
    }
    return recommender.cacheFromHistory(user.getHistory());
  }

  /** A fresh count of how much of a stream the step's model knows. */
  public ModelCoverage newCoverage() {
    return recommender.newCoverage();
  }

  /** Ranks with the live-popularity snapshot at {@code boundaryMs}, if the model blends it. */
  public void usePopularity(LivePopularityTable table, long boundaryMs) {
    recommender.usePopularity(table, boundaryMs);
  }

  /** The live-popularity rule the model blends, if it blends live popularity. */
  public Optional<PopularityRule> livePopularity() {
    return recommender.livePopularity();
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
}
