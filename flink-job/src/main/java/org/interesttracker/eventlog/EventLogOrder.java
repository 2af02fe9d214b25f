package org.interesttracker.eventlog;

import java.util.Comparator;

/**
 * The one order of an event log: by timestamp, then user id, then item id. Ids compare numerically
 * when both are plain decimal digits and as strings otherwise, numbers first, so "9" comes before
 * "10" and before "abc". Scene and event type break the remaining ties, so every writer of the same
 * events produces the same bytes.
 */
public final class EventLogOrder {

  /** Orders event-log records; consistent with {@link EventLogRecord#equals}. */
  public static final Comparator<EventLogRecord> RECORDS =
      Comparator.comparingLong(EventLogRecord::timestampMs)
          .thenComparing(EventLogRecord::userId, EventLogOrder::compareIds)
          .thenComparing(EventLogRecord::itemId, EventLogOrder::compareIds)
          .thenComparing(EventLogRecord::scene)
          .thenComparing(EventLogRecord::eventType);

  private EventLogOrder() {}

  /**
   * Compares two ids: numeric ids by value (any length, no overflow), numbers before other strings,
   * other strings by {@link String#compareTo}. Numerically equal ids such as "7" and "007" fall
   * back to string order so that only equal strings compare as equal.
   */
  public static int compareIds(String left, String right) {
    boolean leftNumeric = isDecimal(left);
    boolean rightNumeric = isDecimal(right);
    if (leftNumeric && rightNumeric) {
      int byValue = compareDecimals(left, right);
      return byValue != 0 ? byValue : left.compareTo(right);
    }
    if (leftNumeric != rightNumeric) {
      return leftNumeric ? -1 : 1;
    }
    return left.compareTo(right);
  }

  private static boolean isDecimal(String id) {
    if (id.isEmpty()) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static int compareDecimals(String left, String right) {
    String l = stripLeadingZeros(left);
    String r = stripLeadingZeros(right);
    return l.length() != r.length() ? Integer.compare(l.length(), r.length()) : l.compareTo(r);
  }

  private static String stripLeadingZeros(String digits) {
    int start = 0;
    while (start < digits.length() - 1 && digits.charAt(start) == '0') {
      start++;
    }
    return digits.substring(start);
  }
}
