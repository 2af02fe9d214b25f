package org.interesttracker.local;

import java.util.stream.Collectors;
import org.interesttracker.avro.Reason;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;

/** A recommendation as one terminal line: who, where, what, and because of what. */
final class RecommendationLine {
  private static final int ITEMS_SHOWN = 3;

  private RecommendationLine() {}

  static String of(Recommendation recommendation) {
    String items =
        recommendation.getItems().stream()
            .limit(ITEMS_SHOWN)
            .map(RecommendationLine::item)
            .collect(Collectors.joining(", "));
    return "         user %s in %s (%s): %s%s"
        .formatted(
            recommendation.getUserId(),
            recommendation.getScene(),
            recommendation.getColdStart(),
            items,
            recommendation.getItems().size() > ITEMS_SHOWN ? ", ..." : "");
  }

  private static String item(RecommendedItem item) {
    String because =
        item.getReasons().stream()
            .map(RecommendationLine::reason)
            .collect(Collectors.joining(", "));
    return because.isEmpty()
        ? "%s %.2f".formatted(item.getItemId(), item.getScore())
        : "%s %.2f (because of %s)".formatted(item.getItemId(), item.getScore(), because);
  }

  private static String reason(Reason reason) {
    return "%s in %s %.2f".formatted(reason.getItemId(), reason.getScene(), reason.getWeight());
  }
}
