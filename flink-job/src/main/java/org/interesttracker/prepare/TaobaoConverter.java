package org.interesttracker.prepare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.interesttracker.avro.EventType;
import org.interesttracker.eventlog.EventLogRecord;

/**
 * Converts the Alibaba Tianchi Taobao UserBehavior CSV ({@code user,item,category,behavior,unix
 * seconds}, no header). Behaviours map pv to VIEW, fav to LIKE, cart to CART and buy to PURCHASE.
 *
 * <p>The data has no scene, and its 2,914+ category ids are anonymised, so no grouping by meaning
 * is possible. The scene is therefore {@code category-group-N} with N = category id mod {@value
 * #SCENE_COUNT}: every category lies wholly in one scene (scenes are disjoint item domains, like
 * the verticals of a shop), the rule needs nothing but the id (unlike "top categories", it does not
 * change with the slice of data read), and on the published head it spreads events 7-22% per scene.
 */
public final class TaobaoConverter implements DatasetConverter {

  static final int SCENE_COUNT = 8;
  static final String SCENE_PREFIX = "category-group-";

  private static final Map<String, EventType> EVENT_TYPE_BY_BEHAVIOR =
      Map.of(
          "pv", EventType.VIEW,
          "fav", EventType.LIKE,
          "cart", EventType.CART,
          "buy", EventType.PURCHASE);

  private final Path file;

  /**
   * @param file {@code UserBehavior.csv} or a head of it
   */
  public TaobaoConverter(Path file) {
    this.file = file;
  }

  @Override
  public void convert(ConversionReport report, Consumer<EventLogRecord> sink) throws IOException {
    DelimitedLines.read(
        file, StandardCharsets.US_ASCII, ',', 5, true, report, TaobaoConverter::toEvent, sink);
  }

  /** The scene of a category id. */
  static String sceneOf(long categoryId) {
    return SCENE_PREFIX + Math.floorMod(categoryId, SCENE_COUNT);
  }

  private static EventLogRecord toEvent(String[] fields) throws MalformedLineException {
    String userId = Long.toString(DelimitedLines.parseNumber(fields[0], "user id"));
    String itemId = Long.toString(DelimitedLines.parseNumber(fields[1], "item id"));
    long categoryId = DelimitedLines.parseNumber(fields[2], "category id");
    EventType type = EVENT_TYPE_BY_BEHAVIOR.get(fields[3]);
    long seconds = DelimitedLines.parseNumber(fields[4], "timestamp");
    if (type == null) {
      throw new MalformedLineException("behavior is not pv, fav, cart or buy");
    }
    return new EventLogRecord(
        DelimitedLines.secondsToMillis(seconds), userId, itemId, sceneOf(categoryId), type);
  }
}
