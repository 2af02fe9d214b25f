package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java serving path (reused direct buffers, batch of any size) computes what PyTorch computed
 * for the golden inputs exported with the default model, within the export's tolerance (1e-5).
 */
class OnnxInterestModelParityTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void matchesTheGoldenVectorsOfTheExport(int caseIndex) throws Exception {
    JsonNode export =
        new ObjectMapper().readTree(DefaultModel.DIRECTORY.resolve("golden.json").toFile());
    JsonNode golden = export.path("cases").get(caseIndex);
    double tolerance = export.path("tolerance").asDouble();
    assertThat(tolerance).isPositive().isLessThanOrEqualTo(1e-4);
    ModelBundle bundle = DefaultModel.load();
    try (OnnxInterestModel model = OnnxInterestModel.open(bundle)) {
      // Larger than the case, and filled twice: reused buffers must not leak old rows.
      HistoryBatch batch = model.newBatch(8);
      fill(batch, golden.path("inputs"));
      batch.clear();
      fill(batch, golden.path("inputs"));

      InterestOutputs outputs = model.run(batch);

      assertClose(outputs.interests(), golden.path("outputs").path("interests"), tolerance);
      assertClose(outputs.attention(), golden.path("outputs").path("attention"), tolerance);
    }
  }

  private static void fill(HistoryBatch batch, JsonNode inputs) {
    for (int row = 0; row < inputs.path("item").size(); row++) {
      int index = batch.addRow();
      for (int position = 0; position < batch.length(); position++) {
        batch.set(
            index,
            position,
            inputs.path("item").get(row).get(position).asInt(),
            inputs.path("scene").get(row).get(position).asInt(),
            inputs.path("event_type").get(row).get(position).asInt(),
            (float) inputs.path("age_seconds").get(row).get(position).asDouble());
      }
    }
  }

  private static void assertClose(float[] actual, JsonNode expected, double tolerance) {
    float[] flat = flatten(expected);
    assertThat(actual).hasSameSizeAs(flat);
    for (int i = 0; i < flat.length; i++) {
      assertThat((double) actual[i]).as("value %d", i).isCloseTo(flat[i], offset(tolerance));
    }
  }

  private static float[] flatten(JsonNode nested) {
    List<Float> values = new ArrayList<>();
    collect(nested, values);
    float[] flat = new float[values.size()];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = values.get(i);
    }
    return flat;
  }

  private static void collect(JsonNode node, List<Float> values) {
    if (node.isArray()) {
      node.forEach(child -> collect(child, values));
    } else {
      values.add((float) node.asDouble());
    }
  }
}
