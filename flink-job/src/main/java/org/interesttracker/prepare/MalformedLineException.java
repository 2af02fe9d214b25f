package org.interesttracker.prepare;

/**
 * A raw input line that cannot become an event. The reason is a fixed phrase (no line content), so
 * a report can count lines by reason.
 */
final class MalformedLineException extends Exception {

  MalformedLineException(String reason) {
    super(reason, null, false, false);
  }

  String reason() {
    return getMessage();
  }
}
