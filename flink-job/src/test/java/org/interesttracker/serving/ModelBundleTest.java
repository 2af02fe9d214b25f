package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
  @TempDir Path copy;

  @Test
  void loadsTheDefaultModelConsistently() {
    ModelBundle bundle = DefaultModel.load();

    assertThat(bundle.scenes()).isNotEmpty().doesNotContain("<pad>", "<unknown>");
    assertThat(bundle.embeddings().rows()).isEqualTo(bundle.items().size());
    assertThat(bundle.embeddings().dim()).isEqualTo(bundle.dim());
    assertThat(bundle.halfLives().keySet()).containsAll(bundle.scenes());
    assertThat(bundle.popularity(bundle.scenes().get(0))).isNotEmpty();
    assertThat(bundle.popularity("a-scene-launched-today")).isNotEmpty();
    assertThat(bundle.items().indexOf("an item nobody has seen"))
        .isEqualTo(bundle.items().unknownIndex());
    // The default model was trained told the request scene: each scene has its read-out.
    assertThat(bundle.queryFor(bundle.scenes().get(1))).isEqualTo(1);
    assertThat(bundle.queryFor("a-scene-launched-today")).isEqualTo(bundle.step().blindQuery());
    // Ranked by interest . embedding + weight x log share: one column more than the embeddings.
    ItemEmbeddings scoring = bundle.scoringEmbeddings();
    assertThat(scoring.dim()).isEqualTo(bundle.dim() + 1);
    float[] onlyEmbedding = new float[bundle.dim() + 1];
    onlyEmbedding[3] = 1f;
    float[] onlyPopularity = new float[bundle.dim() + 1];
    onlyPopularity[bundle.dim()] = 1f;
    float[] unit = new float[bundle.dim()];
    unit[3] = 1f;
    int item = bundle.firstItemIndex() + 5;
    assertThat(scoring.dot(item, onlyEmbedding, 0))
        .isEqualTo(bundle.embeddings().dot(item, unit, 0));
    double popularShare =
        Math.exp(
            scoring.dot(
                bundle.popularity(bundle.scenes().get(0)).get(0).index(), onlyPopularity, 0));
    double unknownShare = Math.exp(scoring.dot(bundle.items().unknownIndex(), onlyPopularity, 0));
    assertThat(popularShare).isGreaterThan(10 * unknownShare);
  }

  @Test
  void aModelWhoseSceneReadOutsWereNotTrainedServesEverySceneWithTheBlindOne() throws IOException {
    copyDefault();
    editManifest("\"scene_queries_trained\": true", "\"scene_queries_trained\": false");
    ModelBundle bundle = loadCopy();

    for (String scene : bundle.scenes()) {
      assertThat(bundle.queryFor(scene)).isEqualTo(bundle.step().blindQuery());
    }
  }

  @Test
  void givesTheOfflineFiguresOfTheModelOnItsTrainingLogWhenTheExporterMeasuredThem()
      throws IOException {
    OfflineQuality figures = DefaultModel.load().offlineQuality().orElseThrow();

    assertThat(figures.k()).isEqualTo(10);
    assertThat(figures.events()).isEqualTo(100_000);
    assertThat(figures.evaluated()).isPositive().isLessThan(figures.events());
    assertThat(figures.ndcg()).isPositive().isLessThan(figures.hitRate());
    assertThat(figures.describes(figures.logSha256(), 10)).isTrue();
    assertThat(figures.describes(figures.logSha256(), 20)).isFalse();
    assertThat(figures.describes("0".repeat(64), 10)).isFalse();
    copyDefault();
    editManifest("\"offline_quality\"", "\"measured_by_a_later_exporter\"");
    assertThat(loadCopy().offlineQuality()).isEmpty();
  }

  @Test
  void refusesAModelOfAnotherContractVersion() throws IOException {
    copyDefault();
    editManifest("\"contract_version\": 2", "\"contract_version\": 3");

    assertThatThrownBy(this::loadCopy)
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("version 3")
        .hasMessageContaining("implements streaming-step versions 1 to 2");
  }

  @Test
  void theBundledCopyInTheJarIsTheDefaultModel() {
    ModelBundle bundled =
        ModelBundle.load(ModelFiles.of(ModelFiles.BUNDLED), DefaultModel.HISTORY_LENGTH);

    assertThat(bundled.version()).isEqualTo(DefaultModel.load().version());
  }

  @Test
  void namesAMissingFile() throws IOException {
    copyDefault();
    Files.delete(copy.resolve("items.json"));

    assertThatThrownBy(this::loadCopy)
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("model directory " + copy + ": missing file items.json");
  }

  @Test
  void refusesEmbeddingsOfTheWrongSize() throws IOException {
    copyDefault();
    Path embeddings = copy.resolve("item_embeddings.f32");
    byte[] bytes = Files.readAllBytes(embeddings);
    Files.write(embeddings, Arrays.copyOf(bytes, bytes.length - 4));

    assertThatThrownBy(this::loadCopy)
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("item_embeddings.f32 holds " + (bytes.length - 4) + " bytes");
  }

  @Test
  void refusesAScenesFileThatDisagreesWithTheManifest() throws IOException {
    copyDefault();
    Path scenes = copy.resolve("scenes.json");
    Files.writeString(scenes, Files.readString(scenes).replaceFirst("\\]\\s*$", ", \"extra\"]"));

    assertThatThrownBy(this::loadCopy)
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("scenes but the files hold");
  }

  @Test
  void refusesCorruptJson() throws IOException {
    copyDefault();
    Files.writeString(copy.resolve("popularity.json"), "{ not json");

    assertThatThrownBy(this::loadCopy)
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("popularity.json is not valid JSON");
  }

  @Test
  void refusesACorruptGraph() throws IOException {
    copyDefault();
    Files.write(copy.resolve("step.onnx"), new byte[] {1, 2, 3});
    ModelBundle bundle = loadCopy();

    assertThatThrownBy(() -> StreamingStepModel.open(bundle))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("ONNX Runtime cannot load the graph");
  }

  @Test
  void refusesAHistoryLengthOtherThanTheExportedOne() throws IOException {
    copyDefault();

    assertThatThrownBy(() -> ModelBundle.load(ModelFiles.of(copy.toString()), 30))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("exported for a history length of 50")
        .hasMessageContaining("--history-length 30");
  }

  private ModelBundle loadCopy() {
    return ModelBundle.load(ModelFiles.of(copy.toString()), DefaultModel.HISTORY_LENGTH);
  }

  private void editManifest(String from, String to) throws IOException {
    Path manifest = copy.resolve("manifest.json");
    String text = Files.readString(manifest);
    assertThat(text).contains(from);
    Files.writeString(manifest, text.replace(from, to));
  }

  private void copyDefault() throws IOException {
    try (Stream<Path> files = Files.list(DefaultModel.DIRECTORY)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
  }
}
