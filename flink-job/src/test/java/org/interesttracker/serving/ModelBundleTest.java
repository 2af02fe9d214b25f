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
    Files.writeString(copy.resolve("half_lives.json"), "{ not json");

    assertThatThrownBy(this::loadCopy)
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("half_lives.json is not valid JSON");
  }

  @Test
  void refusesACorruptGraph() throws IOException {
    copyDefault();
    Files.write(copy.resolve("model.onnx"), new byte[] {1, 2, 3});
    ModelBundle bundle = loadCopy();

    assertThatThrownBy(() -> OnnxInterestModel.open(bundle))
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

  private void copyDefault() throws IOException {
    try (Stream<Path> files = Files.list(DefaultModel.DIRECTORY)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
  }
}
