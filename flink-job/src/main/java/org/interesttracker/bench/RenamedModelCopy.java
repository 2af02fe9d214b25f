package org.interesttracker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.interesttracker.serving.ModelFiles;

/**
 * A model's files copied into a directory under another version: what the switch measurement
 * publishes. The cost of a switch is every user's vectors rebuilt by the new version, which does
 * not depend on its weights, so the same weights under a new name measure it.
 */
final class RenamedModelCopy {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RenamedModelCopy() {}

  static Path write(ModelFiles model, Path target, String version) throws IOException {
    ObjectNode manifest = (ObjectNode) JSON.readTree(model.read("manifest.json"));
    Files.createDirectories(target);
    for (String name : filesOf(manifest)) {
      Files.write(target.resolve(name), model.read(name));
    }
    manifest.put("model_version", version);
    JSON.writeValue(target.resolve("manifest.json").toFile(), manifest);
    return target;
  }

  /** Every file the manifest names. */
  private static Set<String> filesOf(JsonNode manifest) {
    Set<String> names = new LinkedHashSet<>();
    manifest.path("files").forEach(name -> names.add(name.asText()));
    names.add(manifest.path("step").path("file").asText());
    names.add(manifest.path("item_embeddings").path("file").asText());
    names.add(manifest.path("popularity").path("item_log_shares").asText());
    names.add(manifest.path("popularity").path("scene_lists").asText());
    names.remove("");
    return names;
  }
}
