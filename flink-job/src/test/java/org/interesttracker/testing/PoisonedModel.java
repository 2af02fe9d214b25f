package org.interesttracker.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;

/**
 * A copy of the default model that computes NaN for any history holding one item: the item's row of
 * the embedding matrix inside the ONNX graph is overwritten with NaN. It stands for a broken model
 * artefact, and makes one event a poison record that only the real model run can reveal.
 */
public final class PoisonedModel {
  /** The committed default model, as tests (run from flink-job/) find it. */
  public static final Path DEFAULT_MODEL = Path.of("..", "model", "default");

  private PoisonedModel() {}

  /** Writes the copy into {@code target} and returns it. */
  public static Path write(Path target, String poisonedItem, int historyLength) throws IOException {
    ModelVariants.copyDefault(target);
    ModelBundle model = ModelBundle.load(ModelFiles.of(target.toString()), historyLength);
    int dim = model.dim();
    int row = model.items().indexOf(poisonedItem);
    byte[] embeddings = Files.readAllBytes(target.resolve("item_embeddings.f32"));
    byte[] itemRow = Arrays.copyOfRange(embeddings, row * dim * 4, (row + 1) * dim * 4);
    Path onnx = target.resolve("step.onnx");
    byte[] graph = Files.readAllBytes(onnx);
    int at = indexOf(graph, itemRow);
    ByteBuffer nan = ByteBuffer.wrap(graph, at, itemRow.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < dim; i++) {
      nan.putFloat(Float.NaN);
    }
    Files.write(onnx, graph);
    return target;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    List<Integer> found =
        IntStream.rangeClosed(0, haystack.length - needle.length)
            .filter(i -> Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length))
            .boxed()
            .limit(2)
            .toList();
    if (found.size() != 1) {
      throw new IllegalStateException(
          "the item's embedding occurs " + found.size() + " times in the graph, expected once");
    }
    return found.get(0);
  }
}
