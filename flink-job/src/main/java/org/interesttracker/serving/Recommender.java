package org.interesttracker.serving;

import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.avro.state.HistoryEntry;
import org.interesttracker.popularity.LivePopularityTable;
import org.interesttracker.popularity.PopularityRule;

/**
 * Turns users' new events into top-K recommendations with reasons: one streaming-model step per
 * batch of users ({@link StreamingInterestServing}), then for each target scene:
 *
 * <ul>
 *   <li>{@code NEW_USER}: nothing before the triggering event that the model knows; the scene's
 *       popularity list: of the live snapshot, when the model lists live popularity for new users,
 *       else of the training log.
 *   <li>{@code NEW_IN_SCENE}: history, but none in this scene; the scene's read-out of the user's
 *       other scenes.
 *   <li>{@code NONE}: the scene's read-out.
 * </ul>
 *
 * Items score as interest . embedding plus the read-out's popularity weight times the item's log
 * popularity share, as the model was trained. Items in the user's history are never recommended. A
 * scene the model was not trained on is read with the scene-blind query. The read-outs of a batch
 * are ranked in one call to the {@link CandidateIndex}: the exact scan serves four queries per pass
 * over the catalog. Plain Java: no Flink.
 */
public final class Recommender implements AutoCloseable {

  /**
   * A user's new event and the scenes to recommend for.
   *
   * @param history the user's kept history, oldest first, with the trigger in its time place
   * @param cache the user's model state before the trigger; the step updates it
   */
  public record Request(
      String userId,
      List<HistoryEntry> history,
      StreamingUserCache cache,
      InteractionEvent trigger,
      List<String> scenes) {}

  private final ModelBundle bundle;
  private final StreamingStepModel model;
  private final StreamingInterestServing serving;
  private final CandidateIndex index;
  // The live-popularity snapshot in use; the exported table and lists until the first.
  private final PopularitySnapshots popularity;
  private final int capacity;
  private final int k;
  private final ReasonPicker reasonPicker;

  public Recommender(
      ModelBundle bundle, CandidateIndex index, int k, int reasonsPerItem, int maxBatch) {
    this.bundle = bundle;
    this.model = StreamingStepModel.open(bundle);
    this.serving = new StreamingInterestServing(model, maxBatch);
    this.index = index;
    this.popularity = new PopularitySnapshots(bundle);
    this.capacity = maxBatch;
    this.k = k;
    this.reasonPicker =
        new ReasonPicker(bundle.embeddings(), bundle.firstItemIndex(), reasonsPerItem);
  }

  /**
   * Ranks, and lists for new users, with the live-popularity snapshot at {@code boundaryMs} from
   * now on, when the model blends live popularity (else nothing changes).
   */
  public void usePopularity(LivePopularityTable table, long boundaryMs) {
    if (bundle.livePopularity().isEmpty()) {
      return;
    }
    float[] column = popularity.moveTo(table, boundaryMs);
    if (column != null) {
      index.replacePopularity(column);
    }
  }

  /** The live-popularity rule the model blends, if it blends live popularity. */
  public Optional<PopularityRule> livePopularity() {
    return bundle.livePopularity();
  }

  public String modelVersion() {
    return bundle.version();
  }

  /** A fresh count of how much of a stream this recommender's model knows. */
  public ModelCoverage newCoverage() {
    return new ModelCoverage(bundle);
  }

  /** Events a user's model state keeps: L - 1 + W. */
  public int keptEvents() {
    return bundle.step().keptEvents();
  }

  /** The scenes the model was trained on, in the order of its scene axis. */
  public List<String> scenes() {
    return bundle.scenes();
  }

  /** A user's model state as {@link StreamingUserCache#writeTo} wrote it for this model. */
  public StreamingUserCache readCache(ByteBuffer stored) {
    return StreamingUserCache.readFrom(stored, bundle.step());
  }

  /**
   * The model state rebuilt from a user's kept history (after a new model version, or state written
   * before the model kept any): the events' tokens, no vectors yet; the user's next step computes
   * them.
   */
  public StreamingUserCache cacheFromHistory(List<HistoryEntry> history) {
    StreamingEvent[] events = new StreamingEvent[history.size()];
    for (int i = 0; i < events.length; i++) {
      HistoryEntry entry = history.get(i);
      events[i] =
          bundle.token(
              entry.getItemId(), entry.getScene(), entry.getEventType(), entry.getTimestamp());
    }
    return StreamingUserCache.ofTokens(bundle.step(), events);
  }

  /**
   * For each request (at most one per user: a user's next event needs this one's state), steps the
   * user's model state and returns one recommendation per requested scene.
   */
  public List<List<Recommendation>> recommend(List<Request> requests) throws OrtException {
    List<List<Recommendation>> results = new ArrayList<>(requests.size());
    List<StreamingUserCache> users = new ArrayList<>(capacity);
    List<StreamingEvent> events = new ArrayList<>(capacity);
    for (int from = 0; from < requests.size(); from += capacity) {
      List<Request> chunk = requests.subList(from, Math.min(requests.size(), from + capacity));
      users.clear();
      events.clear();
      for (Request request : chunk) {
        InteractionEvent trigger = request.trigger();
        users.add(request.cache());
        events.add(
            bundle.token(
                trigger.getItemId(),
                trigger.getScene(),
                trigger.getEventType(),
                trigger.getTimestamp()));
      }
      StreamingStepOutputs outputs = serving.process(users, events);
      results.addAll(results(chunk, outputs, System.currentTimeMillis()));
    }
    return results;
  }

  @Override
  public void close() throws OrtException {
    model.close();
  }

  /**
   * One list of recommendations per request of the chunk. The personal ones are ranked by one call
   * to the index, which can share its pass over the catalog between queries.
   */
  private List<List<Recommendation>> results(
      List<Request> chunk, StreamingStepOutputs outputs, long now) {
    PersonalQueries queries = new PersonalQueries(chunk.size() * queriesPerRequest(chunk));
    List<List<Target>> targets = new ArrayList<>(chunk.size());
    for (int row = 0; row < chunk.size(); row++) {
      targets.add(targets(chunk.get(row), outputs, row, queries));
    }
    List<List<ScoredItem>> ranked =
        index.topK(queries.vectors, queries.offsets(), k, queries.excluded());
    List<List<Recommendation>> results = new ArrayList<>(chunk.size());
    for (int row = 0; row < chunk.size(); row++) {
      Request request = chunk.get(row);
      List<Recommendation> recommendations = new ArrayList<>(targets.get(row).size());
      for (Target target : targets.get(row)) {
        List<RecommendedItem> items =
            target.popular != null
                ? target.popular
                : explain(
                    request,
                    ranked.get(target.query),
                    outputs.attention(),
                    outputs.attentionOffset(row, target.readOut));
        recommendations.add(
            Recommendation.newBuilder()
                .setUserId(request.userId())
                .setScene(target.scene)
                .setEventId(request.trigger().getEventId())
                .setEventTime(request.trigger().getTimestamp())
                .setEmitTime(now)
                .setModelVersion(bundle.version())
                .setColdStart(target.coldStart)
                .setItems(items)
                .build());
      }
      results.add(recommendations);
    }
    return results;
  }

  private static int queriesPerRequest(List<Request> chunk) {
    return chunk.stream().mapToInt(request -> request.scenes().size()).max().orElse(0);
  }

  /**
   * The request's scenes: a new user's get the scene's popularity list now, the others a query
   * added to {@code queries} for the index.
   */
  private List<Target> targets(
      Request request, StreamingStepOutputs outputs, int row, PersonalQueries queries) {
    requireFinite(request, outputs, row);
    StreamingUserCache cache = request.cache();
    if (cache.events() != request.history().size()) {
      throw new IllegalStateException(
          "the model state of user "
              + request.userId()
              + " holds "
              + cache.events()
              + " events, its history "
              + request.history().size());
    }
    int[] seen = cache.distinctItems(bundle.firstItemIndex());
    List<Target> targets = new ArrayList<>(request.scenes().size());
    for (String scene : request.scenes()) {
      ColdStart coldStart = coldStart(request, scene);
      if (coldStart == ColdStart.NEW_USER) {
        targets.add(new Target(scene, coldStart, popular(scene, seen), -1, -1));
      } else {
        int readOut = bundle.queryFor(scene);
        int query = queries.add(outputs, row, readOut, seen);
        targets.add(new Target(scene, coldStart, null, readOut, query));
      }
    }
    return targets;
  }

  /**
   * A recommendation to make: a popularity list, or the read-out whose query the index ranks.
   *
   * @param popular the items for a new user, else null
   * @param query the query's position among those sent to the index
   */
  private record Target(
      String scene, ColdStart coldStart, List<RecommendedItem> popular, int readOut, int query) {}

  /**
   * The queries [interest, popularity weight] of a chunk's personal recommendations, side by side.
   */
  private final class PersonalQueries {
    private final float[] vectors;
    private final int dim = bundle.scoringEmbeddings().dim();
    private final List<int[]> excluded = new ArrayList<>();

    PersonalQueries(int capacity) {
      vectors = new float[capacity * dim];
    }

    /** Adds the read-out's query, which must leave out {@code seen}; returns its position. */
    int add(StreamingStepOutputs outputs, int row, int readOut, int[] seen) {
      int at = excluded.size() * dim;
      System.arraycopy(
          outputs.interests(), outputs.interestOffset(row, readOut), vectors, at, outputs.dim());
      if (dim > outputs.dim()) {
        vectors[at + outputs.dim()] = outputs.popularityWeight(row, readOut);
      }
      excluded.add(seen);
      return excluded.size() - 1;
    }

    int[] offsets() {
      int[] offsets = new int[excluded.size()];
      for (int q = 0; q < offsets.length; q++) {
        offsets[q] = q * dim;
      }
      return offsets;
    }

    int[][] excluded() {
      return excluded.toArray(int[][]::new);
    }
  }

  /**
   * A broken model or an input it was never trained for can produce NaN or infinity, which would
   * rank items arbitrarily and name meaningless reasons: refuse the request instead.
   *
   * @throws NonFiniteModelOutputException if the row's outputs are not all finite
   */
  private static void requireFinite(Request request, StreamingStepOutputs outputs, int row) {
    int queries = outputs.queries();
    if (!allFinite(outputs.interests(), outputs.interestOffset(row, 0), queries * outputs.dim())
        || !allFinite(
            outputs.attention(), outputs.attentionOffset(row, 0), queries * outputs.historyLength())
        || !allFinite(outputs.popularityWeights(), row * queries, queries)
        || !allFinite(outputs.newStates(), outputs.newStateOffset(row), outputs.cacheDim())) {
      throw new NonFiniteModelOutputException(
          "the model's output for user "
              + request.userId()
              + " after event "
              + request.trigger().getEventId()
              + " is not finite");
    }
  }

  private static boolean allFinite(float[] values, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (!Float.isFinite(values[i])) {
        return false;
      }
    }
    return true;
  }

  /** The cold-start kind, judged on the history before the triggering event. */
  private ColdStart coldStart(Request request, String scene) {
    InteractionEvent trigger = request.trigger();
    List<HistoryEntry> history = request.history();
    StreamingUserCache cache = request.cache();
    int knownBefore = 0;
    int inSceneBefore = 0;
    for (int i = 0; i < history.size(); i++) {
      if (cache.item(i) >= bundle.firstItemIndex()) {
        knownBefore++;
      }
      if (history.get(i).getScene().equals(scene)) {
        inSceneBefore++;
      }
    }
    if (bundle.items().contains(trigger.getItemId())) {
      knownBefore--;
    }
    if (trigger.getScene().equals(scene)) {
      inSceneBefore--;
    }
    if (knownBefore <= 0) {
      return ColdStart.NEW_USER;
    }
    return inSceneBefore <= 0 ? ColdStart.NEW_IN_SCENE : ColdStart.NONE;
  }

  /**
   * The popularity baseline's recommendation at the user's previous event in the trigger's scene:
   * the scene's K most popular items, as a new user gets them now, that the user had not seen
   * before the trigger (in the kept history, as the model leaves them out). Scored against the
   * trigger beside the model's own previous recommendation.
   */
  public List<String> popularBefore(Request request) {
    String trigger = request.trigger().getItemId();
    int[] seen = request.cache().distinctItems(bundle.firstItemIndex());
    long times = request.history().stream().filter(e -> e.getItemId().equals(trigger)).count();
    int triggerIndex = bundle.items().indexOf(trigger);
    int at = Arrays.binarySearch(seen, triggerIndex);
    if (times < 2 && at >= 0) {
      int[] before = new int[seen.length - 1];
      System.arraycopy(seen, 0, before, 0, at);
      System.arraycopy(seen, at + 1, before, at, before.length - at);
      seen = before;
    }
    return popular(request.trigger().getScene(), seen).stream()
        .map(RecommendedItem::getItemId)
        .toList();
  }

  private List<RecommendedItem> popular(String scene, int[] seen) {
    List<RecommendedItem> items = new ArrayList<>(k);
    List<PopularItem> popular = popularity.newUserList(scene);
    double total = popular.stream().mapToDouble(PopularItem::count).sum();
    for (PopularItem item : popular) {
      if (items.size() == k) {
        break;
      }
      if (Arrays.binarySearch(seen, item.index()) < 0) {
        items.add(new RecommendedItem(item.itemId(), (float) (item.count() / total), List.of()));
      }
    }
    return items;
  }

  /** Each item with its reasons, picked from the read-out's attention window. */
  private List<RecommendedItem> explain(
      Request request, List<ScoredItem> scored, float[] attention, int attentionFrom) {
    List<HistoryEntry> history = request.history();
    int length = bundle.historyLength();
    int count = Math.min(length, history.size());
    ReasonPicker.Window window =
        reasonPicker.window(
            history, request.cache(), attention, attentionFrom + length - count, count);
    List<RecommendedItem> items = new ArrayList<>(scored.size());
    for (ScoredItem item : scored) {
      items.add(
          new RecommendedItem(
              bundle.items().token(item.index()), item.score(), window.reasonsFor(item.index())));
    }
    return items;
  }
}
