package org.interesttracker.eventlog;

/** An event-log file or record that does not follow the format; the message says where and why. */
public final class EventLogFormatException extends RuntimeException {

  public EventLogFormatException(String message) {
    super(message);
  }
}
