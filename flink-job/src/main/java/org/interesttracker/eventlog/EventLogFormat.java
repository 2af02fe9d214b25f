package org.interesttracker.eventlog;

import java.util.List;

/** The constants of the event-log CSV format, shared by its reader and writer. */
final class EventLogFormat {

  static final String HEADER = "timestamp_ms,user_id,item_id,scene,event_type";
  static final List<String> FIELD_NAMES = List.of(HEADER.split(","));
  static final int FIELD_COUNT = FIELD_NAMES.size();
  static final char SEPARATOR = ',';

  private EventLogFormat() {}
}
