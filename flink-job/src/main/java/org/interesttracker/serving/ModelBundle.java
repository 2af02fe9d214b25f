package org.interesttracker.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.interesttracker.avro.EventType;
import org.interesttracker.popularity.PopularityRule;

/**
 * Everything an exported model directory holds (the streaming step: model/README.md, "Streaming
 * step contract"), read and cross-checked at start-up: the manifest, the step graph, the
 * vocabularies, the item embeddings, the popularity the model blends in, per-scene popularity for
 * new users and the learned half-lives. Any missing file, broken JSON, or count or shape that
 * disagrees with the manifest fails here, with the file named, rather than as wrong numbers later.
 */
public final class ModelBundle {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String location;
  private final StreamingStepManifest step;
  private final String version;
  private final List<String> scenes;
  private final boolean sceneQueriesTrained;
  private final Vocabulary items;
  private final Vocabulary sceneTokens;
  private final Vocabulary eventTypes;
  private final int firstItemIndex;
  private final ItemEmbeddings embeddings;
  private final ItemEmbeddings scoringEmbeddings;
  private final Map<String, Duration> halfLives;
  private final Map<String, List<PopularItem>> popularity;
  private final PopularityRule livePopularity;
  private final int liveNewUserItems;
  private final List<PopularItem> overallPopularity;
  private final byte[] onnx;
  private final Optional<OfflineQuality> offlineQuality;

  private ModelBundle(ModelFiles files, JsonNode manifest) throws IOException {
    location = files.location();
    step = StreamingStepManifest.parse(manifest, location + ": manifest.json");
    version = text(manifest, "model_version");
    int unknownIndex = manifest.path("unknown_index").asInt(1);
    firstItemIndex = manifest.path("first_scene_index").asInt(2);
    JsonNode fileNames = manifest.path("files");

    items = new Vocabulary(stringList(files, text(fileNames, "items")), unknownIndex);
    sceneTokens = new Vocabulary(stringList(files, text(fileNames, "scenes")), unknownIndex);
    eventTypes = new Vocabulary(stringList(files, text(fileNames, "event_types")), unknownIndex);
    requireCount("items", items.size(), positive(manifest, "num_items"));
    scenes = new ArrayList<>();
    for (int i = firstItemIndex; i < sceneTokens.size(); i++) {
      scenes.add(sceneTokens.token(i));
    }
    requireCount("scenes", scenes.size(), positive(manifest, "num_scenes"));
    requireCount("read-out queries", step.numQueries(), scenes.size() + 1);
    if (sceneTokens.size() > 256 || eventTypes.size() > 256) {
      throw invalid("scenes and event types must fit in one byte each (at most 256 tokens)");
    }
    sceneQueriesTrained = manifest.path("scene_queries_trained").asBoolean(false);

    embeddings =
        ItemEmbeddings.fromLittleEndian(
            readMatrix(files, text(manifest.path("item_embeddings"), "file"), step.dim()),
            items.size(),
            step.dim());
    JsonNode popularitySpec = manifest.path("popularity");
    scoringEmbeddings =
        popularitySpec.path("blend").asBoolean(false)
            ? ItemEmbeddings.appendColumn(
                embeddings, logShares(files, text(popularitySpec, "item_log_shares")))
            : embeddings;

    livePopularity = readLivePopularity(popularitySpec);
    liveNewUserItems = readLiveNewUserItems(popularitySpec);
    halfLives = readHalfLives(manifest.path("half_lives_hours"));
    popularity = readPopularity(files, text(popularitySpec, "scene_lists"));
    overallPopularity = mergePopularity(popularity);
    onnx = files.read(step.stepFile());
    offlineQuality = OfflineQuality.fromManifest(manifest);
  }

  /**
   * Loads and checks a model.
   *
   * @param expectedHistoryLength the job's history length, which the exported graph fixes
   * @throws ModelLoadException naming the file and what is wrong
   */
  public static ModelBundle load(ModelFiles files, int expectedHistoryLength) {
    try {
      ModelBundle bundle = new ModelBundle(files, JSON.readTree(files.read("manifest.json")));
      if (bundle.historyLength() != expectedHistoryLength) {
        throw new ModelLoadException(
            files.location()
                + ": the model was exported for a history length of "
                + bundle.historyLength()
                + " but the job is configured with --history-length "
                + expectedHistoryLength);
      }
      return bundle;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelLoadException(
          files.location() + ": manifest.json is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ModelLoadException(files.location() + ": cannot read: " + e.getMessage(), e);
    }
  }

  public String location() {
    return location;
  }

  public String version() {
    return version;
  }

  /** The step's sizes: history length, encoder window, cache width, read-out queries. */
  public StreamingStepManifest step() {
    return step;
  }

  public int historyLength() {
    return step.historyLength();
  }

  public int dim() {
    return step.dim();
  }

  /**
   * The read-out query that serves a scene: the scene's own if the model was trained to read
   * scenes, otherwise (and for a scene it never saw) the scene-blind one.
   */
  public int queryFor(String scene) {
    int index = sceneTokens.indexOf(scene) - firstItemIndex;
    return sceneQueriesTrained && index >= 0 ? index : step.blindQuery();
  }

  /** The scenes the model has an interest vector for, in output order. */
  public List<String> scenes() {
    return scenes;
  }

  public Vocabulary items() {
    return items;
  }

  public Vocabulary sceneTokens() {
    return sceneTokens;
  }

  public Vocabulary eventTypes() {
    return eventTypes;
  }

  /** An event as the model reads it; anything the model never saw is its unknown token. */
  public StreamingEvent token(String itemId, String scene, EventType eventType, long timeMs) {
    return new StreamingEvent(
        items.indexOf(itemId),
        sceneTokens.indexOf(scene),
        eventTypes.indexOf(eventType.name()),
        timeMs);
  }

  /** Index of the first real item; below it are padding and unknown. */
  public int firstItemIndex() {
    return firstItemIndex;
  }

  public ItemEmbeddings embeddings() {
    return embeddings;
  }

  /**
   * What items are ranked by: the embeddings, with the log popularity share as one more column when
   * the model blends popularity in, so that a query [interest, popularity weight] scores each item
   * as interest . embedding + weight x log share, exactly as the model was trained.
   */
  public ItemEmbeddings scoringEmbeddings() {
    return scoringEmbeddings;
  }

  /** Learned half-life per model scene (of its read-out's decay). */
  public Map<String, Duration> halfLives() {
    return halfLives;
  }

  /** The scene's most popular items in training, or all scenes' together for a new scene. */
  public List<PopularItem> popularity(String scene) {
    return popularity.getOrDefault(scene, overallPopularity);
  }

  /**
   * The live-popularity rule the model was trained with, when it blends popularity that the job
   * computes from its stream (contract 2); empty when it blends the exported table or nothing.
   */
  public Optional<PopularityRule> livePopularity() {
    return Optional.ofNullable(livePopularity);
  }

  /**
   * How many items a new user's list holds (before the user's own are left out) when the model
   * lists each scene's live popularity for new users; 0 when it lists the training log's.
   */
  public int liveNewUserItems() {
    return liveNewUserItems;
  }

  /** The model's quality on its training log, when its exporter measured it. */
  public Optional<OfflineQuality> offlineQuality() {
    return offlineQuality;
  }

  byte[] onnx() {
    return onnx;
  }

  private Map<String, Duration> readHalfLives(JsonNode hours) {
    Map<String, Duration> values = new LinkedHashMap<>();
    for (String scene : scenes) {
      double value = hours.path(scene).asDouble(-1);
      if (!(value > 0)) {
        throw invalid("manifest.json: half_lives_hours needs a positive value for scene " + scene);
      }
      values.put(scene, Duration.ofMillis(Math.round(value * 3_600_000)));
    }
    return values;
  }

  /** The bytes of a little-endian float32 matrix [items x columns], checked for size. */
  private byte[] readMatrix(ModelFiles files, String name, int columns) throws IOException {
    byte[] bytes = files.read(name);
    long expectedBytes = (long) items.size() * columns * Float.BYTES;
    if (bytes.length != expectedBytes) {
      throw invalid(
          name
              + " holds "
              + bytes.length
              + " bytes, but "
              + items.size()
              + " items x "
              + columns
              + " float32 need "
              + expectedBytes);
    }
    return bytes;
  }

  private PopularityRule readLivePopularity(JsonNode spec) {
    if (!spec.path("blend").asBoolean(false) || !"live".equals(spec.path("source").asText())) {
      return null;
    }
    try {
      return new PopularityRule(
          spec.path("half_life_hours").asDouble(0),
          spec.path("snapshot_interval_ms").asLong(0),
          spec.path("min_weight").asDouble(-1),
          spec.path("delay_ms").asLong(-1));
    } catch (IllegalArgumentException e) {
      throw invalid("manifest.json popularity: " + e.getMessage());
    }
  }

  private int readLiveNewUserItems(JsonNode spec) {
    if (livePopularity == null || !"live".equals(spec.path("new_user").asText())) {
      return 0;
    }
    int items = spec.path("new_user_top_k").asInt(0);
    if (items <= 0) {
      throw invalid("manifest.json popularity: new_user_top_k must be positive for live lists");
    }
    return items;
  }

  private float[] logShares(ModelFiles files, String name) throws IOException {
    float[] values = new float[items.size()];
    ByteBuffer.wrap(readMatrix(files, name, 1))
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(values);
    return values;
  }

  private Map<String, List<PopularItem>> readPopularity(ModelFiles files, String name)
      throws IOException {
    Map<String, List<PopularItem>> lists = new HashMap<>();
    var fields = json(files, name).fields();
    while (fields.hasNext()) {
      var field = fields.next();
      List<PopularItem> list = new ArrayList<>();
      for (JsonNode entry : field.getValue()) {
        int index = entry.path("index").asInt(-1);
        String item = text(entry, "item", name);
        if (index < firstItemIndex || index >= items.size() || !items.token(index).equals(item)) {
          throw invalid(
              name
                  + ": item "
                  + item
                  + " of scene "
                  + field.getKey()
                  + " has index "
                  + index
                  + ", which the vocabulary does not give it");
        }
        list.add(new PopularItem(item, index, entry.path("count").asDouble()));
      }
      lists.put(field.getKey(), List.copyOf(list));
    }
    return lists;
  }

  private static List<PopularItem> mergePopularity(Map<String, List<PopularItem>> lists) {
    Map<Integer, PopularItem> merged = new HashMap<>();
    lists.values().stream()
        .flatMap(List::stream)
        .forEach(
            item ->
                merged.merge(
                    item.index(),
                    item,
                    (a, b) -> new PopularItem(a.itemId(), a.index(), a.count() + b.count())));
    return merged.values().stream()
        .sorted(Comparator.comparingDouble(PopularItem::count).reversed())
        .toList();
  }

  private JsonNode json(ModelFiles files, String name) throws IOException {
    try {
      return JSON.readTree(files.read(name));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid(name + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private List<String> stringList(ModelFiles files, String name) throws IOException {
    JsonNode node = json(files, name);
    if (!node.isArray()) {
      throw invalid(name + " must be a JSON array of strings");
    }
    List<String> values = new ArrayList<>(node.size());
    node.forEach(value -> values.add(value.asText()));
    return values;
  }

  private String text(JsonNode node, String field) {
    return text(node, field, "manifest.json");
  }

  private String text(JsonNode node, String field, String file) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw invalid(file + ": missing " + field);
    }
    return value.asText();
  }

  private int positive(JsonNode node, String field) {
    int value = node.path(field).asInt(-1);
    if (value <= 0) {
      throw invalid("manifest.json: " + field + " must be a positive integer");
    }
    return value;
  }

  private void requireCount(String what, int actual, int declared) {
    if (actual != declared) {
      throw invalid(
          "the manifest declares " + declared + " " + what + " but the files hold " + actual);
    }
  }

  private ModelLoadException invalid(String detail) {
    return new ModelLoadException(location + ": " + detail);
  }
}
