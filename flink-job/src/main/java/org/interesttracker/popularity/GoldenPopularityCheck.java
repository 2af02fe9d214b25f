package org.interesttracker.popularity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.interesttracker.serving.GoldenStreams;
import org.interesttracker.serving.ModelBundle;
import org.interesttracker.serving.ModelLoadException;
import org.interesttracker.serving.PopularItem;

/**
 * Whether this code computes the live popularity a model was trained with: the export's golden
 * popularity (events of known and unknown items in known and unknown scenes with a long quiet
 * spell, and what a dozen requests read) replayed through {@link PopularityReplay} must give every
 * log share within the golden tolerance and, when the model lists live popularity for new users,
 * each scene's list exactly. A job that computed popularity otherwise would serve numbers the model
 * never saw.
 */
public final class GoldenPopularityCheck {
  private GoldenPopularityCheck() {}

  /**
   * @throws ModelLoadException naming the request and item that differ, or a missing section
   */
  public static void verify(ModelBundle bundle, GoldenStreams golden) {
    PopularityRule rule = bundle.livePopularity().orElseThrow();
    JsonNode popularity = golden.popularity();
    if (!popularity.path("requests").isArray() || popularity.path("requests").isEmpty()) {
      throw new ModelLoadException(
          bundle.location() + ": the model blends live popularity but ships no golden popularity");
    }
    double tolerance = golden.tolerance();
    List<PopularityReplay.Event> events = new ArrayList<>();
    for (JsonNode event : popularity.path("events")) {
      events.add(
          new PopularityReplay.Event(
              event.path("scene").asText(),
              event.path("item").asText(),
              event.path("time_ms").asLong()));
    }
    PopularityReplay replay = new PopularityReplay(rule, events);
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
      LivePopularityTable table = replay.snapshot(boundary);
      verifyLogShares(
          bundle, table, boundary, popularity.path("floor").asDouble(), request, tolerance);
      if (bundle.liveNewUserItems() > 0) {
        verifyNewUserLists(bundle, table, boundary, request.path("new_user"));
      }
    }
  }

  private static void verifyLogShares(
      ModelBundle bundle,
      LivePopularityTable table,
      long boundary,
      double floor,
      JsonNode request,
      double tolerance) {
    float[] logShares = table.logShares(bundle.items(), bundle.firstItemIndex(), boundary);
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

  private static void verifyNewUserLists(
      ModelBundle bundle, LivePopularityTable table, long boundary, JsonNode lists) {
    if (!lists.path("scenes").isObject() || !lists.path("other_scene").isArray()) {
      throw new ModelLoadException(
          bundle.location()
              + ": the model lists live popularity for new users but its golden popularity"
              + " has no new-user lists");
    }
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    bundle.scenes().forEach(scene -> expected.put(scene, lists.path("scenes").path(scene)));
    expected.put(null, lists.path("other_scene"));
    expected.forEach(
        (scene, items) -> {
          List<String> listed = new ArrayList<>();
          items.forEach(item -> listed.add(item.asText()));
          List<String> computed =
              table
                  .mostPopular(
                      scene,
                      bundle.items(),
                      bundle.firstItemIndex(),
                      boundary,
                      bundle.liveNewUserItems())
                  .stream()
                  .map(PopularItem::itemId)
                  .toList();
          if (!computed.equals(listed)) {
            throw new ModelLoadException(
                bundle.location()
                    + ": golden popularity at boundary "
                    + boundary
                    + ": a new user's list in "
                    + (scene == null ? "a scene the model does not know" : "scene " + scene)
                    + " is "
                    + computed
                    + " in Java, "
                    + listed
                    + " in the reference");
          }
        });
  }
}
