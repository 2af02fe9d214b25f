package org.interesttracker.cluster;

/**
 * Event ids of the soak and the event numbers they stand for. The replayer names events {@code
 * <prefix>-<row>}; the backlog's rows are numbers 0 to {@code backlog - 1} and the paced events
 * follow them.
 */
record SoakIds(long backlog) {
  static final String BACKLOG_PREFIX = "backlog";
  static final String PACED_PREFIX = "paced";

  long number(String eventId) {
    int dash = eventId.lastIndexOf('-');
    long row = Long.parseLong(eventId.substring(dash + 1));
    return eventId.startsWith(PACED_PREFIX) ? backlog + row : row;
  }

  String id(long number) {
    return number < backlog
        ? BACKLOG_PREFIX + "-" + number
        : PACED_PREFIX + "-" + (number - backlog);
  }
}
