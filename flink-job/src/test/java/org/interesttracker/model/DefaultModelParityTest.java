package org.interesttracker.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped model directory (model/default) is complete, its files agree with the manifest, and
 * ONNX Runtime Java reproduces the PyTorch outputs recorded in golden.json.
 */
class DefaultModelParityTest {

  /** Surefire runs with flink-job/ as working directory. */
  private static final Path MODEL_DIR = Path.of("..", "model", "default");

  private static final List<String> INPUTS = List.of("item", "scene", "event_type", "age_seconds");
  private static final List<String> OUTPUTS = List.of("interests", "attention");
  private static final double TOLERANCE = 1e-5;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void directoryIsCompleteAndMatchesTheManifest() throws IOException {
    JsonNode manifest = readJson("manifest.json");
    int numItems = manifest.get("num_items").asInt();
    int numScenes = manifest.get("num_scenes").asInt();
    int dim = manifest.get("dim").asInt();
    int firstScene = manifest.get("first_scene_index").asInt();

    assertThat(MODEL_DIR.resolve(manifest.at("/onnx/file").asText())).isRegularFile();
    manifest
        .get("files")
        .forEach(file -> assertThat(MODEL_DIR.resolve(file.asText())).isRegularFile());
    assertThat(strings(manifest.at("/onnx/inputs"))).isEqualTo(INPUTS);
    assertThat(strings(manifest.at("/onnx/outputs"))).isEqualTo(OUTPUTS);
    assertThat(manifest.get("training_data_sha256").asText()).matches("[0-9a-f]{64}");

    List<String> items = strings(readJson("items.json"));
    assertThat(items).hasSize(numItems);
    assertThat(items.subList(0, 2)).containsExactly("<pad>", "<unknown>");

    JsonNode embeddings = manifest.get("item_embeddings");
    assertThat(embeddings.get("dtype").asText()).isEqualTo("float32");
    assertThat(embeddings.get("byte_order").asText()).isEqualTo("little");
    assertThat(embeddings.get("shape").get(0).asInt()).isEqualTo(numItems);
    assertThat(embeddings.get("shape").get(1).asInt()).isEqualTo(dim);
    assertThat(Files.size(MODEL_DIR.resolve(embeddings.get("file").asText())))
        .isEqualTo((long) numItems * dim * Float.BYTES);

    List<String> scenes = strings(readJson("scenes.json"));
    List<String> sceneAxis = scenes.subList(firstScene, scenes.size());
    assertThat(sceneAxis).hasSize(numScenes);
    assertThat(strings(readJson("event_types.json")))
        .hasSize(manifest.get("num_event_types").asInt())
        .contains("VIEW", "CLICK", "LIKE", "CART", "PURCHASE");

    JsonNode halfLives = readJson("half_lives.json");
    assertThat(halfLives.get("unit").asText()).isEqualTo("seconds");
    List<String> halfLifeScenes = new ArrayList<>();
    for (JsonNode entry : halfLives.get("half_lives")) {
      halfLifeScenes.add(entry.get("scene").asText());
      assertThat(entry.get("half_life_seconds").asDouble()).isPositive();
    }
    assertThat(halfLifeScenes).isEqualTo(sceneAxis);

    JsonNode popularity = readJson("popularity.json");
    for (String scene : sceneAxis) {
      for (JsonNode entry : popularity.get(scene)) {
        int index = entry.get("index").asInt();
        assertThat(index).isBetween(2, numItems - 1);
        assertThat(items.get(index)).isEqualTo(entry.get("item").asText());
      }
    }
  }

  private static void assertClose(
      String what, float[][][] actual, JsonNode expected, int rows, int cols) {
    assertThat(actual.length).as(what + " batch").isEqualTo(expected.size());
    double worst = 0;
    for (int b = 0; b < actual.length; b++) {
      assertThat(actual[b].length).as(what + " axis 1").isEqualTo(rows);
      for (int s = 0; s < rows; s++) {
        assertThat(actual[b][s].length).as(what + " axis 2").isEqualTo(cols);
        for (int k = 0; k < cols; k++) {
          worst =
              Math.max(worst, Math.abs(actual[b][s][k] - expected.get(b).get(s).get(k).asDouble()));
        }
      }
    }
    assertThat(worst).as(what + " largest absolute difference").isLessThanOrEqualTo(TOLERANCE);
  }

  private static long[][] longMatrix(JsonNode rows, int length) {
    long[][] out = new long[rows.size()][length];
    for (int b = 0; b < rows.size(); b++) {
      assertThat(rows.get(b).size()).isEqualTo(length);
      for (int j = 0; j < length; j++) {
        out[b][j] = rows.get(b).get(j).asLong();
      }
    }
    return out;
  }

  private static float[][] floatMatrix(JsonNode rows, int length) {
    float[][] out = new float[rows.size()][length];
    for (int b = 0; b < rows.size(); b++) {
      assertThat(rows.get(b).size()).isEqualTo(length);
      for (int j = 0; j < length; j++) {
        out[b][j] = (float) rows.get(b).get(j).asDouble();
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }

  private static JsonNode readJson(String file) throws IOException {
    return JSON.readTree(MODEL_DIR.resolve(file).toFile());
  }
}
