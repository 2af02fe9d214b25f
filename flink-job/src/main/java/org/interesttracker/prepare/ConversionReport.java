package org.interesttracker.prepare;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a converter saw: how many event rows it read and which lines it skipped, counted by reason
 * with the first line number of each reason, so a skipped line is never silent and easy to find.
 */
public final class ConversionReport {

  /** How often one reason occurred and where first. */
  public record Malformed(long count, String firstAt) {}

  private final Map<String, Malformed> malformedByReason = new TreeMap<>();
  private long rowsRead;

  void countRowRead() {
    rowsRead++;
  }

  void countMalformed(String reason, String where) {
    malformedByReason.merge(
        reason,
        new Malformed(1, where),
        (old, one) -> new Malformed(old.count() + 1, old.firstAt()));
  }

  /** Event rows read from the input, malformed ones included. */
  public long rowsRead() {
    return rowsRead;
  }

  /** Skipped lines by reason, in reason order. */
  public Map<String, Malformed> malformedByReason() {
    return Collections.unmodifiableMap(malformedByReason);
  }

  public long malformedTotal() {
    return malformedByReason.values().stream().mapToLong(Malformed::count).sum();
  }
}
