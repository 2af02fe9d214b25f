package org.interesttracker.popularity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.interesttracker.serving.GoldenStreams;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;
import org.interesttracker.serving.ModelLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live popularity this code computes is the one the fixture model was trained with. */
class GoldenPopularityCheckTest {
  static final Path FIXTURE = Path.of("src", "test", "resources", "streaming-step");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path copy;

  static ModelBundle load(Path directory) {
    return ModelBundle.load(ModelFiles.of(directory.toString()), 12);
  }

  @Test
  void theFixtureBlendsLivePopularityAndThisCodeReproducesItsGoldenShares() {
    ModelBundle bundle = load(FIXTURE);
    assertThat(bundle.livePopularity())
        .contains(new PopularityRule(168.0, 900_000L, 0.01, 600_000L));
    assertThatCode(() -> GoldenPopularityCheck.verify(bundle, golden(FIXTURE)))
        .doesNotThrowAnyException();
  }

  @Test
  void aShareOffByMoreThanTheToleranceIsRefusedWithTheItemNamed() throws IOException {
    copyFixture();
    Path golden = copy.resolve("golden_streams.json");
    ObjectNode root = (ObjectNode) JSON.readTree(golden.toFile());
    ObjectNode shares =
        (ObjectNode) root.path("popularity").path("requests").path(3).path("log_shares");
    String index = shares.fieldNames().next();
    shares.put(index, shares.path(index).asDouble() + 1e-3);
    JSON.writeValue(golden.toFile(), root);

    assertThatThrownBy(() -> GoldenPopularityCheck.verify(load(copy), golden(copy)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("golden popularity at boundary")
        .hasMessageContaining("beyond the tolerance");
  }

  @Test
  void aModelThatBlendsLivePopularityWithoutGoldenPopularityIsRefused() throws IOException {
    copyFixture();
    Path golden = copy.resolve("golden_streams.json");
    ObjectNode root = (ObjectNode) JSON.readTree(golden.toFile());
    root.remove("popularity");
    JSON.writeValue(golden.toFile(), root);

    assertThatThrownBy(() -> GoldenPopularityCheck.verify(load(copy), golden(copy)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("ships no golden popularity");
  }

  @Test
  void aNewUsersListThatDiffersIsRefusedWithTheSceneNamed() throws IOException {
    copyFixture();
    Path golden = copy.resolve("golden_streams.json");
    ObjectNode root = (ObjectNode) JSON.readTree(golden.toFile());
    ObjectNode lists =
        (ObjectNode)
            root.path("popularity").path("requests").path(6).path("new_user").path("scenes");
    String scene = lists.fieldNames().next();
    ArrayNode items = (ArrayNode) lists.path(scene);
    assertThat(items.size()).isGreaterThan(1);
    items.insert(0, items.remove(1)); // the second most popular first
    JSON.writeValue(golden.toFile(), root);

    assertThatThrownBy(() -> GoldenPopularityCheck.verify(load(copy), golden(copy)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("a new user's list in scene " + scene);
  }

  private static GoldenStreams golden(Path directory) throws IOException {
    return GoldenStreams.read(ModelFiles.of(directory.toString()));
  }

  private void copyFixture() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURE)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
  }
}
