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
import org.assertj.core.api.AbstractThrowableAssert;
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
  private static final String GOLDEN_FILE = "golden_streams.json";

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
    ObjectNode root = copiedGolden();
    ObjectNode shares =
        (ObjectNode) root.path("popularity").path("requests").path(3).path("log_shares");
    String index = shares.fieldNames().next();
    shares.put(index, shares.path(index).asDouble() + 1e-3);

    refusedWith(root)
        .hasMessageContaining("golden popularity at boundary")
        .hasMessageContaining("beyond the tolerance");
  }

  @Test
  void aModelThatBlendsLivePopularityWithoutGoldenPopularityIsRefused() throws IOException {
    ObjectNode root = copiedGolden();
    root.remove("popularity");

    refusedWith(root).hasMessageContaining("ships no golden popularity");
  }

  @Test
  void aNewUsersListThatDiffersIsRefusedWithTheSceneNamed() throws IOException {
    ObjectNode root = copiedGolden();
    ObjectNode lists =
        (ObjectNode)
            root.path("popularity").path("requests").path(6).path("new_user").path("scenes");
    String scene = lists.fieldNames().next();
    ArrayNode items = (ArrayNode) lists.path(scene);
    assertThat(items.size()).isGreaterThan(1);
    items.insert(0, items.remove(1)); // the second most popular first

    refusedWith(root).hasMessageContaining("a new user's list in scene " + scene);
  }

  private static GoldenStreams golden(Path directory) throws IOException {
    return GoldenStreams.read(ModelFiles.of(directory.toString()));
  }

  /** The fixture copied, and the root of its golden file to change. */
  private ObjectNode copiedGolden() throws IOException {
    copyFixture();
    return (ObjectNode) JSON.readTree(copy.resolve(GOLDEN_FILE).toFile());
  }

  /** Writes the changed golden file: the copy must be refused. */
  private AbstractThrowableAssert<?, ? extends Throwable> refusedWith(ObjectNode root)
      throws IOException {
    JSON.writeValue(copy.resolve(GOLDEN_FILE).toFile(), root);
    return assertThatThrownBy(() -> GoldenPopularityCheck.verify(load(copy), golden(copy)))
        .isInstanceOf(ModelLoadException.class);
  }

  private void copyFixture() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURE)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
  }
}
