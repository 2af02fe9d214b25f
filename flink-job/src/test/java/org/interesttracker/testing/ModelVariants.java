package org.interesttracker.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Model directories for a job's model lifecycle, copied from the default model: a second version
 * that ranks differently, and the broken candidates a running job must refuse.
 */
public final class ModelVariants {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelVariants() {}

  /**
   * The default model under another version, scoring without its popularity blend: the same step
   * graph (so it passes its golden streams) but other recommendations.
   */
  public static Path withoutPopularity(Path target, String version) throws IOException {
    copyDefault(target);
    ObjectNode manifest = manifest(target);
    manifest.put("model_version", version);
    ((ObjectNode) manifest.path("popularity")).put("blend", false);
    writeManifest(target, manifest);
    return target;
  }

  /** A model exported for a streaming-step contract version this release does not implement. */
  public static Path ofUnknownContract(Path target, String version) throws IOException {
    withoutPopularity(target, version);
    ObjectNode manifest = manifest(target);
    manifest.put("contract_version", 99);
    writeManifest(target, manifest);
    return target;
  }

  /** A model whose golden streams its graph does not reproduce: one reference value is off. */
  public static Path withWrongGoldenStream(Path target, String version) throws IOException {
    withoutPopularity(target, version);
    Path golden = target.resolve("golden_streams.json");
    ObjectNode root = (ObjectNode) JSON.readTree(golden.toFile());
    ArrayNode state =
        (ArrayNode)
            root.path("streams").path(0).path("steps").path(2).path("expected").path("new_state");
    state.set(0, JSON.getNodeFactory().numberNode(state.path(0).asDouble() + 0.01));
    JSON.writeValue(golden.toFile(), root);
    return target;
  }

  /** A model whose ONNX file was cut off half-way, as by an interrupted copy. */
  public static Path withTruncatedGraph(Path target, String version) throws IOException {
    withoutPopularity(target, version);
    Path graph = target.resolve("step.onnx");
    byte[] bytes = Files.readAllBytes(graph);
    Files.write(graph, Arrays.copyOf(bytes, bytes.length / 2));
    return target;
  }

  /** The default model's files, copied into {@code target}. */
  static void copyDefault(Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(PoisonedModel.DEFAULT_MODEL)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
  }

  private static ObjectNode manifest(Path directory) throws IOException {
    return (ObjectNode) JSON.readTree(directory.resolve("manifest.json").toFile());
  }

  private static void writeManifest(Path directory, ObjectNode manifest) throws IOException {
    JSON.writerWithDefaultPrettyPrinter()
        .writeValue(directory.resolve("manifest.json").toFile(), manifest);
  }
}
