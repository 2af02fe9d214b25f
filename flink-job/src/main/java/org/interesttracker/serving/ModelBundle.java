package org.interesttracker.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an exported model directory holds, read and cross-checked at start-up: the manifest,
 * the ONNX graph, the vocabularies, the item embeddings, per-scene half-lives and popularity. Any
 * missing file, broken JSON, or count or shape that disagrees with the manifest fails here, with
 * the file named, rather than as wrong numbers later.
 */
public final class ModelBundle {
  static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String location;
  private final String version;
  private final int historyLength;
  private final int dim;
  private final List<String> scenes;
  private final Vocabulary items;
  private final Vocabulary sceneTokens;
  private final Vocabulary eventTypes;
  private final int firstItemIndex;
  private final ItemEmbeddings embeddings;
  private final Map<String, Duration> halfLives;
  private final Map<String, List<PopularItem>> popularity;
  private final List<PopularItem> overallPopularity;
  private final byte[] onnx;

  private ModelBundle(ModelFiles files, JsonNode manifest) throws IOException {
    location = files.location();
    version = text(manifest, "model_version");
    historyLength = positive(manifest, "history_length");
    dim = positive(manifest, "dim");
    int unknownIndex = manifest.path("unknown_index").asInt(1);
    firstItemIndex = manifest.path("first_scene_index").asInt(2);
    JsonNode fileNames = manifest.path("files");

    items = new Vocabulary(stringList(files, text(fileNames, "items")), unknownIndex);
    sceneTokens = new Vocabulary(stringList(files, text(fileNames, "scenes")), unknownIndex);
    eventTypes = new Vocabulary(stringList(files, text(fileNames, "event_types")), unknownIndex);
    requireCount("items", items.size(), positive(manifest, "num_items"));
    requireCount("event types", eventTypes.size(), positive(manifest, "num_event_types"));
    scenes = new ArrayList<>();
    for (int i = firstItemIndex; i < sceneTokens.size(); i++) {
      scenes.add(sceneTokens.token(i));
    }
    requireCount("scenes", scenes.size(), positive(manifest, "num_scenes"));

    JsonNode embeddingSpec = manifest.path("item_embeddings");
    String embeddingFile = text(embeddingSpec, "file");
    byte[] embeddingBytes = files.read(embeddingFile);
    long expectedBytes = (long) items.size() * dim * Float.BYTES;
    if (embeddingBytes.length != expectedBytes) {
      throw invalid(
          embeddingFile
              + " holds "
              + embeddingBytes.length
              + " bytes, but "
              + items.size()
              + " items x "
              + dim
              + " float32 need "
              + expectedBytes);
    }
    embeddings = ItemEmbeddings.fromLittleEndian(embeddingBytes, items.size(), dim);

    halfLives = readHalfLives(files, text(fileNames, "half_lives"));
    popularity = readPopularity(files, text(fileNames, "popularity"));
    overallPopularity = mergePopularity(popularity);
    onnx = files.read(text(manifest.path("onnx"), "file"));
  }

  /**
   * Loads and checks a model.
   *
   * @param expectedHistoryLength the job's history length, which the exported graph fixes
   * @throws ModelLoadException naming the file and what is wrong
   */
  public static ModelBundle load(ModelFiles files, int expectedHistoryLength) {
    try {
      JsonNode manifest = JSON.readTree(files.read("manifest.json"));
      int format = manifest.path("format_version").asInt(-1);
      if (format != FORMAT_VERSION) {
        throw new ModelLoadException(
            files.location()
                + ": manifest.json has format_version "
                + format
                + ", this job reads "
                + FORMAT_VERSION);
      }
      ModelBundle bundle = new ModelBundle(files, manifest);
      if (bundle.historyLength != expectedHistoryLength) {
        throw new ModelLoadException(
            files.location()
                + ": the model was exported for a history length of "
                + bundle.historyLength
                + " but the job is configured with --history-length "
                + expectedHistoryLength);
      }
      return bundle;
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

  public int historyLength() {
    return historyLength;
  }

  public int dim() {
    return dim;
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

  /** Index of the first real item; below it are padding and unknown. */
  public int firstItemIndex() {
    return firstItemIndex;
  }

  public ItemEmbeddings embeddings() {
    return embeddings;
  }

  /** Learned half-life per model scene. */
  public Map<String, Duration> halfLives() {
    return halfLives;
  }

  /** The scene's most popular items in training, or all scenes' together for a new scene. */
  public List<PopularItem> popularity(String scene) {
    return popularity.getOrDefault(scene, overallPopularity);
  }

  byte[] onnx() {
    return onnx;
  }

  private Map<String, Duration> readHalfLives(ModelFiles files, String name) throws IOException {
    Map<String, Duration> values = new LinkedHashMap<>();
    for (JsonNode entry : json(files, name).path("half_lives")) {
      double seconds = entry.path("half_life_seconds").asDouble(-1);
      if (!(seconds > 0)) {
        throw invalid(name + ": half-life of " + entry.path("scene") + " must be positive");
      }
      values.put(text(entry, "scene", name), Duration.ofMillis(Math.round(seconds * 1000)));
    }
    for (String scene : scenes) {
      if (!values.containsKey(scene)) {
        throw invalid(name + ": no half-life for scene " + scene);
      }
    }
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
