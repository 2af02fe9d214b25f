package org.interesttracker.serving;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.InteractionEvent;
import org.interesttracker.avro.Reason;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.interesttracker.avro.state.HistoryEntry;

/**
 * Turns users' histories into top-K recommendations with reasons, one model call per batch of
 * users. For each target scene:
 *
 * <ul>
 *   <li>{@code NEW_USER}: nothing before the triggering event that the model knows; the scene's
 *       popularity list.
 *   <li>{@code NEW_IN_SCENE}: history, but none in this scene; the model's interest vector for the
 *       scene, transferred from the other scenes.
 *   <li>{@code NONE}: the model's interest vector for the scene.
 * </ul>
 *
 * Items in the user's history are never recommended. A scene the model was not trained on gets the
 * mean of the model's scene vectors. Plain Java: no Flink.
 */
public final class Recommender implements AutoCloseable {

  /** A user's history (oldest first, including the trigger) and the scenes to recommend for. */
  public record Request(
      String userId, List<HistoryEntry> history, InteractionEvent trigger, List<String> scenes) {}

  private final ModelBundle bundle;
  private final OnnxInterestModel model;
  private final CandidateIndex index;
  private final int k;
  private final int reasonsPerItem;
  private final HistoryBatch batch;
  private final HistoryEncoder encoder;
  private final Map<String, Integer> sceneAxis = new HashMap<>();

  public Recommender(
      ModelBundle bundle, CandidateIndex index, int k, int reasonsPerItem, int maxBatch) {
    this.bundle = bundle;
    this.model = OnnxInterestModel.open(bundle);
    this.index = index;
    this.k = k;
    this.reasonsPerItem = reasonsPerItem;
    this.batch = model.newBatch(maxBatch);
    this.encoder = new HistoryEncoder(bundle);
    for (int i = 0; i < bundle.scenes().size(); i++) {
      sceneAxis.put(bundle.scenes().get(i), i);
    }
  }

  /** A recommender with exact top-K over the bundle's items. */
  public static Recommender exact(ModelBundle bundle, int k, int reasonsPerItem, int maxBatch) {
    return new Recommender(
        bundle,
        new ExactTopK(bundle.embeddings(), bundle.firstItemIndex()),
        k,
        reasonsPerItem,
        maxBatch);
  }

  public String modelVersion() {
    return bundle.version();
  }

  /** A fresh count of how much of a stream this recommender's model knows. */
  public ModelCoverage newCoverage() {
    return new ModelCoverage(bundle);
  }

  /** The scenes the model was trained on, in the order of its scene axis. */
  public List<String> scenes() {
    return bundle.scenes();
  }

  /** For each request, one recommendation per requested scene. */
  public List<List<Recommendation>> recommend(List<Request> requests) throws OrtException {
    List<List<Recommendation>> results = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); from += batch.capacity()) {
      List<Request> chunk =
          requests.subList(from, Math.min(requests.size(), from + batch.capacity()));
      batch.clear();
      for (Request request : chunk) {
        encoder.encode(request.history(), batch, batch.addRow());
      }
      InterestOutputs outputs = model.run(batch);
      long now = System.currentTimeMillis();
      for (int row = 0; row < chunk.size(); row++) {
        results.add(result(chunk.get(row), outputs, row, now));
      }
    }
    return results;
  }

  @Override
  public void close() throws OrtException {
    model.close();
  }

  private List<Recommendation> result(Request request, InterestOutputs outputs, int row, long now) {
    requireFinite(request, outputs, row);
    int[] seen = seenItems(request.history());
    List<Recommendation> recommendations = new ArrayList<>(request.scenes().size());
    for (String scene : request.scenes()) {
      ColdStart coldStart = coldStart(request, scene);
      List<RecommendedItem> items =
          coldStart == ColdStart.NEW_USER
              ? popular(scene, seen)
              : personal(request, outputs, row, scene, seen);
      recommendations.add(
          Recommendation.newBuilder()
              .setUserId(request.userId())
              .setScene(scene)
              .setEventId(request.trigger().getEventId())
              .setEventTime(request.trigger().getTimestamp())
              .setEmitTime(now)
              .setModelVersion(bundle.version())
              .setColdStart(coldStart)
              .setItems(items)
              .build());
    }
    return recommendations;
  }

  /**
   * A broken model or an input it was never trained for can produce NaN or infinity, which would
   * rank items arbitrarily and name meaningless reasons: refuse the request instead.
   *
   * @throws NonFiniteModelOutputException if the row's interests or attention are not all finite
   */
  private static void requireFinite(Request request, InterestOutputs outputs, int row) {
    int interestsFrom = outputs.interestOffset(row, 0);
    int attentionFrom = row * outputs.scenes() * outputs.length();
    if (!allFinite(outputs.interests(), interestsFrom, outputs.scenes() * outputs.dim())
        || !allFinite(outputs.attention(), attentionFrom, outputs.scenes() * outputs.length())) {
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
    int knownBefore = 0;
    int inSceneBefore = 0;
    for (HistoryEntry entry : request.history()) {
      if (bundle.items().contains(entry.getItemId())) {
        knownBefore++;
      }
      if (entry.getScene().equals(scene)) {
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

  private List<RecommendedItem> popular(String scene, int[] seen) {
    List<RecommendedItem> items = new ArrayList<>(k);
    List<PopularItem> popular = bundle.popularity(scene);
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

  private List<RecommendedItem> personal(
      Request request, InterestOutputs outputs, int row, String scene, int[] seen) {
    Integer axis = sceneAxis.get(scene);
    if (axis == null) {
      return explain(
          request, index.topK(meanInterest(outputs, row), 0, k, seen), meanAttention(outputs, row));
    }
    List<ScoredItem> best =
        index.topK(outputs.interests(), outputs.interestOffset(row, axis), k, seen);
    return explain(request, best, attentionRow(outputs, row, axis));
  }

  /**
   * Each item's reasons: the past interactions the scene's attention weighted most, favouring those
   * whose item is most like the recommended one, so "because you watched X" names a relevant X.
   */
  private List<RecommendedItem> explain(
      Request request, List<ScoredItem> scored, float[] attention) {
    List<HistoryEntry> history = request.history();
    int length = batch.length();
    int count = Math.min(length, history.size());
    List<RecommendedItem> items = new ArrayList<>(scored.size());
    for (ScoredItem item : scored) {
      Integer[] positions = new Integer[count];
      float[] relevance = new float[count];
      for (int p = 0; p < count; p++) {
        positions[p] = p;
        int pastItem = bundle.items().indexOf(history.get(history.size() - count + p).getItemId());
        float similarity = bundle.embeddings().cosine(pastItem, item.index());
        relevance[p] = attention[length - count + p] * (1f + similarity) / 2f;
      }
      Arrays.sort(positions, (a, b) -> Float.compare(relevance[b], relevance[a]));
      List<Reason> reasons = new ArrayList<>(reasonsPerItem);
      Set<String> named = new HashSet<>();
      for (int r = 0; r < count && reasons.size() < reasonsPerItem; r++) {
        int p = positions[r];
        HistoryEntry past = history.get(history.size() - count + p);
        // A past item the user came back to is one reason, at its most relevant occurrence.
        if (named.add(past.getItemId())) {
          reasons.add(new Reason(past.getItemId(), past.getScene(), attention[length - count + p]));
        }
      }
      items.add(new RecommendedItem(bundle.items().token(item.index()), item.score(), reasons));
    }
    return items;
  }

  private int[] seenItems(List<HistoryEntry> history) {
    return history.stream()
        .mapToInt(entry -> bundle.items().indexOf(entry.getItemId()))
        .filter(item -> item >= bundle.firstItemIndex())
        .sorted()
        .distinct()
        .toArray();
  }

  private static float[] attentionRow(InterestOutputs outputs, int row, int scene) {
    float[] weights = new float[outputs.length()];
    for (int p = 0; p < weights.length; p++) {
      weights[p] = outputs.attention(row, scene, p);
    }
    return weights;
  }

  private static float[] meanInterest(InterestOutputs outputs, int row) {
    float[] mean = new float[outputs.dim()];
    for (int s = 0; s < outputs.scenes(); s++) {
      int offset = outputs.interestOffset(row, s);
      for (int i = 0; i < mean.length; i++) {
        mean[i] += outputs.interests()[offset + i] / outputs.scenes();
      }
    }
    return mean;
  }

  private static float[] meanAttention(InterestOutputs outputs, int row) {
    float[] mean = new float[outputs.length()];
    for (int s = 0; s < outputs.scenes(); s++) {
      for (int p = 0; p < mean.length; p++) {
        mean[p] += outputs.attention(row, s, p) / outputs.scenes();
      }
    }
    return mean;
  }
}
