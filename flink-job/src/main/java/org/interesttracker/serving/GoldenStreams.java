package org.interesttracker.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden streams an export ships beside its step graph: arrivals of events per user, with the
 * PyTorch reference outputs after each (computed from the whole history at once), and the tolerance
 * within which Java must reproduce them.
 *
 * @param popularity the golden popularity section as written (missing when the model has none),
 *     which {@code GoldenPopularityCheck} replays
 */
public record GoldenStreams(double tolerance, List<Stream> streams, JsonNode popularity) {
  /** The file name when the manifest does not give one. */
  private static final String DEFAULT_FILE = "golden_streams.json";

  public record Stream(String name, List<Step> steps) {}

  public record Step(
      StreamingEvent event,
      boolean late,
      float requestAgeSeconds,
      float[] newState,
      float[] interests,
      float[] attention,
      float[] popularityWeight) {}

  /** The golden streams of an exported model, from the file its manifest names. */
  public static GoldenStreams read(ModelFiles files) throws IOException {
    ObjectMapper json = new ObjectMapper();
    String name =
        json.readTree(files.read("manifest.json"))
            .path("files")
            .path("golden")
            .asText(DEFAULT_FILE);
    JsonNode root = json.readTree(files.read(name));
    List<Stream> streams = new ArrayList<>();
    for (JsonNode stream : root.path("streams")) {
      List<Step> steps = new ArrayList<>();
      for (JsonNode step : stream.path("steps")) {
        JsonNode event = step.path("event");
        JsonNode expected = step.path("expected");
        steps.add(
            new Step(
                new StreamingEvent(
                    event.path("item").asInt(),
                    event.path("scene").asInt(),
                    event.path("event_type").asInt(),
                    event.path("time_ms").asLong()),
                step.path("late").asBoolean(),
                (float) step.path("request_age_seconds").asDouble(0),
                flatten(expected.path("new_state")),
                flatten(expected.path("interests")),
                flatten(expected.path("attention")),
                flatten(expected.path("popularity_weight"))));
      }
      streams.add(new Stream(stream.path("name").asText(), steps));
    }
    return new GoldenStreams(root.path("tolerance").asDouble(), streams, root.path("popularity"));
  }

  private static float[] flatten(JsonNode nested) {
    float[] values = new float[count(nested)];
    fill(nested, values, 0);
    return values;
  }

  private static int count(JsonNode node) {
    if (!node.isArray()) {
      return 1;
    }
    int total = 0;
    for (JsonNode child : node) {
      total += count(child);
    }
    return total;
  }

  private static int fill(JsonNode node, float[] values, int next) {
    if (!node.isArray()) {
      values[next] = (float) node.asDouble();
      return next + 1;
    }
    for (JsonNode child : node) {
      next = fill(child, values, next);
    }
    return next;
  }
}
