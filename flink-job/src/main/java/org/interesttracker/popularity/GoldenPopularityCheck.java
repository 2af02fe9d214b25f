package org.interesttracker.popularity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelFiles;
import org.interesttracker.serving.ModelLoadException;

/**
 * Whether this code computes the live popularity a model was trained with: the export's golden
 * popularity (events of known and unknown items with a long quiet spell, and the log shares a dozen
 * requests read) replayed through {@link ItemWeight} and {@link LivePopularityTable} must give
 * every share within the golden tolerance. A job that computed popularity otherwise would serve
 * numbers the model never saw.
 */
public final class GoldenPopularityCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GoldenPopularityCheck() {}

  /**
   * @throws ModelLoadException naming the request and item that differ, or a missing section
   */
  public static void verify(ModelBundle bundle, ModelFiles files) {
    PopularityRule rule = bundle.livePopularity().orElseThrow();
    JsonNode golden;
    try {
      JsonNode manifest = JSON.readTree(files.read("manifest.json"));
      golden = JSON.readTree(files.read(manifest.path("files").path("golden").asText()));
    } catch (IOException e) {
      throw new ModelLoadException(
          bundle.location() + ": cannot read the golden popularity: " + e.getMessage(), e);
    }
    JsonNode popularity = golden.path("popularity");
    if (!popularity.path("requests").isArray() || popularity.path("requests").isEmpty()) {
      throw new ModelLoadException(
          bundle.location() + ": the model blends live popularity but ships no golden popularity");
    }
    double tolerance = golden.path("tolerance").asDouble();
    Replay replay = new Replay(rule, popularity.path("events"));
    for (JsonNode request : popularity.path("requests")) {
      long boundary = request.path("boundary_ms").asLong();
      if (rule.boundaryOf(request.path("time_ms").asLong()) != boundary) {
        throw new ModelLoadException(
            bundle.location()
                + ": golden popularity reads boundary "
                + boundary
                + " for a request"
                + " at "
                + request.path("time_ms").asLong()
                + ", this code "
                + rule.boundaryOf(request.path("time_ms").asLong()));
      }
      float[] logShares =
          replay.snapshot(boundary).logShares(bundle.items(), bundle.firstItemIndex(), boundary);
      double floor = popularity.path("floor").asDouble();
      for (int index = bundle.firstItemIndex(); index < logShares.length; index++) {
        double expected = request.path("log_shares").path(Integer.toString(index)).asDouble(floor);
        if (!(Math.abs(logShares[index] - expected) <= tolerance)) {
          throw new ModelLoadException(
              bundle.location()
                  + ": golden popularity at boundary "
                  + boundary
                  + ", item "
                  + bundle.items().token(index)
                  + ": log share "
                  + logShares[index]
                  + " in Java, "
                  + expected
                  + " in the reference, beyond the tolerance "
                  + tolerance);
        }
      }
    }
  }

  /** The golden events published as the aggregation publishes them, up to each boundary in turn. */
  private static final class Replay {
    private final PopularityRule rule;
    private final List<JsonNode> events = new ArrayList<>();
    private final Map<String, ItemWeight> weights = new LinkedHashMap<>();
    private final LivePopularityTable table;
    private int next;

    Replay(PopularityRule rule, JsonNode events) {
      this.rule = rule;
      events.forEach(this.events::add);
      table = new LivePopularityTable(rule);
    }

    LivePopularityTable snapshot(long boundaryMs) {
      Map<String, List<Long>> due = new LinkedHashMap<>();
      while (next < events.size() && events.get(next).path("time_ms").asLong() < boundaryMs) {
        JsonNode event = events.get(next++);
        due.computeIfAbsent(event.path("item").asText(), ignored -> new ArrayList<>())
            .add(event.path("time_ms").asLong());
      }
      due.forEach(
          (item, times) -> {
            ItemWeight weight = weights.computeIfAbsent(item, ignored -> new ItemWeight());
            weight.publish(rule, times.stream().mapToLong(Long::longValue).toArray(), boundaryMs);
            table.add(new PopularityUpdate(item, weight.weight, weight.atMs));
          });
      table.advanceBase(boundaryMs);
      return table;
    }
  }
}
